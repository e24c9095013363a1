namespace Agora.Artifacts;

/// <summary>
/// An artifact store in a local directory. Writes go to a hidden temp file in the target directory, are fsynced,
/// then renamed over the key (atomic on POSIX), and the directory is fsynced so the rename survives a crash.
/// </summary>
public sealed class FileArtifactStore : IArtifactStore
{
    private const string TempPrefix = ".tmp-";

    // Set for a peer's store opened read-only: every object read must resolve (symlinks followed) below it.
    private readonly string? _confinedTo;

    public FileArtifactStore(string rootDirectory)
        : this(rootDirectory, confinedTo: null)
    {
    }

    private FileArtifactStore(string rootDirectory, string? confinedTo)
    {
        if (string.IsNullOrWhiteSpace(rootDirectory))
        {
            throw new ArgumentException("The artifact directory path is empty.", nameof(rootDirectory));
        }

        Root = Path.GetFullPath(rootDirectory);
        _confinedTo = confinedTo;
        if (confinedTo is null)
        {
            Directory.CreateDirectory(Root);
        }

        Location = new Uri(Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar).AbsoluteUri;
    }

    /// <summary>
    /// Opens someone else's store for reading only: nothing is created (a directory that does not exist reads as an
    /// empty store), writes are refused, and an object whose real path (every symbolic link resolved) is not below
    /// <paramref name="confinedTo"/> is refused with an <see cref="ArtifactStoreException"/> rather than read.
    /// </summary>
    public static FileArtifactStore OpenReadOnly(string rootDirectory, string confinedTo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(confinedTo);
        return new FileArtifactStore(rootDirectory, RealPath.Resolve(confinedTo));
    }

    public string Root { get; }

    /// <summary>True for a store opened with <see cref="OpenReadOnly"/>.</summary>
    public bool IsReadOnly => _confinedTo is not null;

    public string Location { get; }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        RefuseWriteWhenReadOnly(key);
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
        var path = ReadablePath(key);
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
        => Task.FromResult(File.Exists(ReadablePath(key)));

    public Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        if (IsReadOnly && !Directory.Exists(Root))
        {
            return Task.FromResult<IReadOnlyList<string>>(keys);
        }

        // Read-only (a peer's store): links are not followed into other directories, unreadable folders are skipped.
        var options = IsReadOnly
            ? new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }
            : new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var file in Directory.EnumerateFiles(Root, "*", options))
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
        RefuseWriteWhenReadOnly(key);
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

    /// <summary>The path to read <paramref name="key"/> from: for a read-only store, its real path once checked to lie below the confinement root.</summary>
    private string ReadablePath(string key)
    {
        var path = PathFor(key);
        if (_confinedTo is null)
        {
            return path;
        }

        string real;
        try
        {
            real = RealPath.Resolve(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactStoreException($"Artifact '{key}' in {Location} could not be resolved: {e.Message}", e);
        }

        if (!RealPath.IsUnder(real, _confinedTo))
        {
            throw new ArtifactStoreException($"Artifact '{key}' in {Location} resolves to {real}, outside the allowed peer store root {_confinedTo}; refused.");
        }

        return real;
    }

    private void RefuseWriteWhenReadOnly(string key)
    {
        if (_confinedTo is not null)
        {
            throw new ArtifactStoreException($"{Location} is another peer's store, opened read-only; '{key}' was not written or deleted.");
        }
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
