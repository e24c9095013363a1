namespace Agora.Artifacts;

/// <summary>
/// An artifact store in a local directory. Writes go to a hidden temp file in the target directory, are fsynced,
/// then renamed over the key (atomic on POSIX), and the directory is fsynced so the rename survives a crash.
/// </summary>
public sealed class FileArtifactStore : IArtifactStore
{
    private const string TempPrefix = ".tmp-";

    public FileArtifactStore(string rootDirectory)
    {
        if (string.IsNullOrWhiteSpace(rootDirectory))
        {
            throw new ArgumentException("The artifact directory path is empty.", nameof(rootDirectory));
        }

        Root = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(Root);
        Location = new Uri(Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar).AbsoluteUri;
    }

    public string Root { get; }

    public string Location { get; }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        DirectorySync.Fsync(directory);
    }

    public async Task<byte[]> GetAsync(string key, long maxBytes, ReadOnlyMemory<byte>? expectedBlake2b256 = null, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        DigestCheck.CheckCap(Location, key, maxBytes);
        DigestCheck.CheckExpectedLength(expectedBlake2b256);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArtifactNotFoundException(Location, key);
        }

        await using (stream.ConfigureAwait(false))
        {
            var size = stream.Length;
            if (size > maxBytes)
            {
                throw new ArtifactTooLargeException(Location, key, size, maxBytes);
            }

            var data = await DigestCheck.ReadBoundedAsync(stream, Location, key, maxBytes, size, cancellationToken).ConfigureAwait(false);
            DigestCheck.Verify(Location, key, data, expectedBlake2b256);
            return data;
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
        => Task.FromResult(File.Exists(PathFor(key)));

    public Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith(prefix, StringComparison.Ordinal) && ArtifactKey.IsValid(relative))
            {
                keys.Add(relative);
            }
        }

        keys.Sort(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        if (File.Exists(path))
        {
            File.Delete(path);
            DirectorySync.Fsync(Path.GetDirectoryName(path)!);
        }

        return Task.CompletedTask;
    }

    private string PathFor(string key)
    {
        ArtifactKey.Validate(key);
        var path = Path.GetFullPath(Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar)));

        // The grammar already forbids traversal; this second check guards against any gap in it.
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid artifact key '{key}': it resolves outside {Root}.", nameof(key));
        }

        return path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
