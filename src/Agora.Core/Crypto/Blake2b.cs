using Org.BouncyCastle.Crypto.Digests;

namespace Agora.Core.Crypto;

/// <summary>BLAKE2b (RFC 7693). Agora's one hash: state roots, payload digests, page seeds, address checksums.</summary>
public static class Blake2b
{
    public const int DigestSize256 = 32;

    /// <summary>BLAKE2b with a 32-byte digest.</summary>
    public static byte[] Hash256(ReadOnlySpan<byte> data) => Hash(data, DigestSize256);

    /// <summary>BLAKE2b with a digest of <paramref name="outputBytes"/> bytes (1..64).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data, int outputBytes)
    {
        var hasher = new Hasher(outputBytes);
        hasher.Update(data);
        return hasher.Finish();
    }

    /// <summary>Incremental BLAKE2b for data that arrives in pieces (streams, concatenated fields).</summary>
    public sealed class Hasher
    {
        private readonly Blake2bDigest _digest;

        public Hasher(int outputBytes = DigestSize256)
        {
            if (outputBytes is < 1 or > 64)
            {
                throw new ArgumentOutOfRangeException(nameof(outputBytes), outputBytes, "BLAKE2b digests are 1 to 64 bytes.");
            }

            _digest = new Blake2bDigest(outputBytes * 8);
        }

        public Hasher Update(ReadOnlySpan<byte> data)
        {
            var copy = data.ToArray();
        _digest.BlockUpdate(copy, 0, copy.Length);
            return this;
        }

        public byte[] Finish()
        {
            var output = new byte[_digest.GetDigestSize()];
            _digest.DoFinal(output, 0);
            return output;
        }
    }
}
