namespace Agora.Artifacts;

/// <summary>Base of every artifact-store failure; the message names the store, the key and the cause.</summary>
public class ArtifactStoreException : Exception
{
    public ArtifactStoreException(string message) : base(message) { }

    public ArtifactStoreException(string message, Exception inner) : base(message, inner) { }
}

public sealed class ArtifactNotFoundException(string location, string key)
    : ArtifactStoreException($"Artifact '{key}' does not exist in {location}.")
{
    public string Key { get; } = key;
}

public sealed class ArtifactTooLargeException(string location, string key, long size, long maxBytes)
    : ArtifactStoreException($"Artifact '{key}' in {location} is {size} bytes, over the cap of {maxBytes} bytes; it was not downloaded.")
{
    public long Size { get; } = size;

    public long MaxBytes { get; } = maxBytes;
}

public sealed class ArtifactDigestMismatchException(string location, string key, string expectedHex, string actualHex)
    : ArtifactStoreException($"Artifact '{key}' in {location} has BLAKE2b-256 {actualHex}, expected {expectedHex}; the object is corrupt or was replaced.")
{
    public string ExpectedHex { get; } = expectedHex;

    public string ActualHex { get; } = actualHex;
}
