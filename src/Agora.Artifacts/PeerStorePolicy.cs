namespace Agora.Artifacts;

/// <summary>
/// Which store URIs a peer may open when another neuron names them (in a commitment on the ledger, or a selection):
/// <c>file://</c> only for a directory whose real path (symbolic links resolved) lies under <see cref="FileRoot"/>,
/// opened read-only so nothing is ever created; <c>s3://</c> only when this process has S3 configuration
/// (<see cref="S3"/>); every other scheme is refused. A refused or unopenable URI yields a store whose every operation
/// throws <see cref="ArtifactStoreRefusedException"/>, so the caller's ordinary failure path (that peer is invalid for
/// the window) handles it and nothing else is touched.
/// </summary>
public sealed class PeerStorePolicy
{
    /// <param name="fileRoot">The directory under which peers' file stores must lie, or null to refuse every file:// URI.</param>
    /// <param name="s3">S3 settings to open peers' buckets with, or null to refuse every s3:// URI.</param>
    public PeerStorePolicy(string? fileRoot, S3ArtifactStoreOptions? s3)
    {
        FileRoot = string.IsNullOrWhiteSpace(fileRoot) ? null : RealPath.Resolve(fileRoot);
        S3 = s3;
    }

    /// <summary>The resolved root peers' file stores must lie under; null refuses file:// URIs.</summary>
    public string? FileRoot { get; }

    public S3ArtifactStoreOptions? S3 { get; }

    /// <summary>Refuses everything: for a process that reads no peer stores.</summary>
    public static PeerStorePolicy None { get; } = new(null, null);

    /// <summary>
    /// The default for a role whose own store is <paramref name="own"/>: file:// under the directory that holds its own
    /// file store (where a devnet keeps every peer's store), s3:// when its own store is in S3 or the environment has
    /// S3 credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
    /// </summary>
    public static PeerStorePolicy ForOwnStore(IArtifactStore own, string? fileRoot = null, Func<string, string?>? getEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(own);
        var root = fileRoot ?? (own is FileArtifactStore f ? Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(f.Root)) : null);
        var env = new S3ArtifactStoreOptions().WithEnvironmentDefaults(getEnvironment);
        var s3 = own is S3ArtifactStore || (env.AccessKey is not null && env.SecretKey is not null) ? new S3ArtifactStoreOptions() : null;
        return new PeerStorePolicy(root, s3);
    }

    /// <summary>Opens <paramref name="uri"/> if this policy allows it; otherwise returns false with the reason. Never throws for a hostile URI.</summary>
    public bool TryOpen(string uri, out IArtifactStore store, out string? reason)
    {
        try
        {
            store = OpenAllowed(uri);
            reason = null;
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException or UnauthorizedAccessException
            or ArtifactStoreException or NotSupportedException or InvalidOperationException or Amazon.Runtime.AmazonClientException)
        {
            reason = e.Message;
            store = new RefusedArtifactStore(Printable(uri), reason);
            return false;
        }
    }

    /// <summary>The store <paramref name="uri"/> names, or a <see cref="RefusedArtifactStore"/> that says why not.</summary>
    public IArtifactStore Open(string uri)
    {
        TryOpen(uri, out var store, out _);
        return store;
    }

    private IArtifactStore OpenAllowed(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var parsed = ArtifactStoreUri.Parse(uri.Length > 8 && uri.EndsWith('/') && !uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? uri.TrimEnd('/') : uri);
        switch (parsed.Scheme)
        {
            case "file":
                if (FileRoot is null)
                {
                    throw new ArtifactStoreRefusedException(Printable(uri), "file:// peer stores are not allowed here (no peer store root configured)");
                }

                var real = RealPath.Resolve(parsed.Path);
                if (!RealPath.IsUnder(real, FileRoot))
                {
                    throw new ArtifactStoreRefusedException(Printable(uri), $"it resolves to {real}, outside the peer store root {FileRoot}");
                }

                return FileArtifactStore.OpenReadOnly(real, FileRoot);
            case "s3":
                if (S3 is null)
                {
                    throw new ArtifactStoreRefusedException(Printable(uri), "this process has no S3 configuration");
                }

                return new S3ArtifactStore(parsed.Bucket!, parsed.Path, S3);
            default:
                throw new ArtifactStoreRefusedException(Printable(uri), $"scheme '{parsed.Scheme}' is not allowed");
        }
    }

    /// <summary>The URI cut to 200 characters with control characters replaced, for messages and logs.</summary>
    public static string Printable(string? uri)
    {
        if (uri is null)
        {
            return "(null)";
        }

        var cut = uri.Length > 200 ? uri[..200] + "…" : uri;
        return new string([.. cut.Select(c => char.IsControl(c) ? '?' : c)]);
    }
}

/// <summary>A store URI that a <see cref="PeerStorePolicy"/> refused (or could not open), with the reason.</summary>
public sealed class ArtifactStoreRefusedException(string uri, string reason)
    : ArtifactStoreException($"Peer store '{uri}' refused: {reason}.")
{
    public string Uri { get; } = uri;

    public string Reason { get; } = reason;
}

/// <summary>Stands in for a refused store: every operation throws <see cref="ArtifactStoreRefusedException"/>; nothing is touched.</summary>
public sealed class RefusedArtifactStore(string uri, string reason) : IArtifactStore
{
    public string Location { get; } = uri;

    public string Reason { get; } = reason;

    public Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) => throw Refused();

    public Task<byte[]> GetAsync(string key, long maxBytes, ReadOnlyMemory<byte>? expectedBlake2b256 = null, CancellationToken cancellationToken = default) => throw Refused();

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => throw Refused();

    public Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken cancellationToken = default) => throw Refused();

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => throw Refused();

    private ArtifactStoreRefusedException Refused() => new(Location, Reason.TrimEnd('.'));
}
