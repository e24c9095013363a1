using Agora.Core.Crypto;

namespace Agora.Artifacts;

/// <summary>Content addressing: an object's key is the lower-case hex of its BLAKE2b-256 digest (optionally under a prefix).</summary>
public static class ContentAddress
{
    public const int DigestHexLength = 64;

    public static string DigestHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(Blake2b.Hash256(bytes));

    /// <summary>The key for <paramref name="bytes"/>: <c>prefix + hex(BLAKE2b-256)</c>.</summary>
    public static string KeyFor(ReadOnlySpan<byte> bytes, string prefix = "")
    {
        var key = prefix + DigestHex(bytes);
        ArtifactKey.Validate(key);
        return key;
    }

    /// <summary>The digest a content-addressed key names (its last 64 hex characters).</summary>
    public static byte[] DigestOf(string key)
    {
        ArtifactKey.Validate(key);
        var slash = key.LastIndexOf('/');
        var name = key[(slash + 1)..];
        if (name.Length != DigestHexLength || !IsLowerHex(name))
        {
            throw new ArgumentException($"Key '{key}' is not content-addressed: its last segment must be {DigestHexLength} lower-case hex characters.", nameof(key));
        }

        return Convert.FromHexString(name);
    }

    /// <summary>Stores <paramref name="bytes"/> under their content key and returns the key.</summary>
    public static async Task<string> PutAsync(IArtifactStore store, ReadOnlyMemory<byte> bytes, string prefix = "", CancellationToken cancellationToken = default)
    {
        var key = KeyFor(bytes.Span, prefix);
        await store.PutAsync(key, bytes, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>Reads a content-addressed object and verifies it against the digest its key names.</summary>
    public static Task<byte[]> GetAsync(IArtifactStore store, string key, long maxBytes, CancellationToken cancellationToken = default)
        => store.GetAsync(key, maxBytes, DigestOf(key), cancellationToken);

    private static bool IsLowerHex(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
