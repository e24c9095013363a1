using System.Security.Cryptography;
using Agora.Core.Crypto;

namespace Agora.Artifacts;

/// <summary>Shared read-side checks so every store enforces caps and digests the same way.</summary>
internal static class DigestCheck
{
    public static void CheckCap(string location, string key, long maxBytes)
    {
        if (maxBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "The size cap must be zero or positive.");
        }

        if (maxBytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, $"The size cap for {key} in {location} exceeds the largest in-memory array ({Array.MaxLength} bytes).");
        }
    }

    public static void CheckExpectedLength(ReadOnlyMemory<byte>? expected)
    {
        if (expected is { Length: not Blake2b.DigestSize256 } e)
        {
            throw new ArgumentException($"An expected BLAKE2b-256 digest is {Blake2b.DigestSize256} bytes, got {e.Length}.", "expectedBlake2b256");
        }
    }

    public static void Verify(string location, string key, byte[] data, ReadOnlyMemory<byte>? expected)
    {
        if (expected is not { } want)
        {
            return;
        }

        var actual = Blake2b.Hash256(data);
        if (!CryptographicOperations.FixedTimeEquals(actual, want.Span))
        {
            throw new ArtifactDigestMismatchException(location, key, Convert.ToHexStringLower(want.Span), Convert.ToHexStringLower(actual));
        }
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes; a stream that keeps going past the cap is refused, not truncated.</summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream stream, string location, string key, long maxBytes, long declaredSize, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(declaredSize is > 0 and <= int.MaxValue ? (int)Math.Min(declaredSize, maxBytes) : 0);
        var chunk = new byte[81920];
        long total = 0;
        while (true)
        {
            var n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
            if (total > maxBytes)
            {
                throw new ArtifactTooLargeException(location, key, total, maxBytes);
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }
}
