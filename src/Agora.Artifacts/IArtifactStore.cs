namespace Agora.Artifacts;

/// <summary>
/// A flat key/value store for immutable-ish blobs (model updates, checkpoints). Keys are validated by
/// <see cref="ArtifactKey"/>; reads are size-capped so a hostile peer cannot make a reader download without bound.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Where the store lives, as a URI (<c>file:///...</c> or <c>s3://bucket/prefix</c>), for messages.</summary>
    string Location { get; }

    /// <summary>Stores <paramref name="bytes"/> under <paramref name="key"/>; a reader sees either the old object or the whole new one.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the object. Throws <see cref="ArtifactTooLargeException"/> before downloading when it is larger than
    /// <paramref name="maxBytes"/>, <see cref="ArtifactNotFoundException"/> when absent, and
    /// <see cref="ArtifactDigestMismatchException"/> when <paramref name="expectedBlake2b256"/> is given and does not match.
    /// </summary>
    Task<byte[]> GetAsync(string key, long maxBytes, ReadOnlyMemory<byte>? expectedBlake2b256 = null, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Keys that start with <paramref name="prefix"/> (plain string prefix), in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken cancellationToken = default);

    /// <summary>Removes the object; deleting an absent key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
