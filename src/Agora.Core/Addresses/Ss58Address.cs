using Agora.Core.Crypto;

namespace Agora.Core.Addresses;

/// <summary>
/// SS58-style address of a 32-byte Ed25519 public key.
/// Layout before base58: <c>prefix (1 byte) ‖ public key (32) ‖ checksum (2)</c>, 35 bytes.
/// Prefix: 42, substrate's generic network id (the one Bittensor uses), so Agora addresses read like and
/// interoperate with familiar "5..." addresses. Only the one-byte "simple" prefix form (0..63) is used.
/// Checksum: the first 2 bytes of BLAKE2b-512("SS58PRE" ‖ prefix ‖ public key), as in SS58.
/// </summary>
public static class Ss58Address
{
    public const byte DefaultPrefix = 42;
    public const int PublicKeyLength = 32;
    private const int ChecksumLength = 2;

    /// <summary>
    /// The longest address text: base58 of the 35-byte payload takes at most ceil(35 · 8 / log2 58) = 48 characters (a
    /// leading zero byte becomes one '1', no longer than any other digit). Longer input is refused before decoding.
    /// </summary>
    public const int MaxLength = 48;
    private static readonly byte[] ChecksumContext = "SS58PRE"u8.ToArray();

    public static string Encode(ReadOnlySpan<byte> publicKey, byte prefix = DefaultPrefix)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            throw new ArgumentException($"An address encodes a {PublicKeyLength}-byte public key; got {publicKey.Length} bytes.", nameof(publicKey));
        }

        if (prefix > 63)
        {
            throw new ArgumentOutOfRangeException(nameof(prefix), prefix, "Only one-byte SS58 prefixes 0..63 are supported.");
        }

        var payload = new byte[1 + PublicKeyLength + ChecksumLength];
        payload[0] = prefix;
        publicKey.CopyTo(payload.AsSpan(1));
        Checksum(payload.AsSpan(0, 1 + PublicKeyLength)).CopyTo(payload.AsSpan(1 + PublicKeyLength));
        return Base58.Encode(payload);
    }

    /// <summary>Parses an address and returns its public key; throws <see cref="FormatException"/> saying exactly what is wrong.</summary>
    public static byte[] Decode(string address, byte expectedPrefix = DefaultPrefix)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new FormatException("The address is empty.");
        }

        // Measure without copying: the text may be hostile and huge; nothing below runs on more than MaxLength characters.
        var trimmed = address.AsSpan().Trim();
        if (trimmed.Length > MaxLength)
        {
            throw new FormatException($"The address is {trimmed.Length} characters long; an address has at most {MaxLength}.");
        }

        address = trimmed.ToString();
        byte[] payload;
        try
        {
            payload = Base58.Decode(address);
        }
        catch (FormatException e)
        {
            throw new FormatException($"Address '{address}' is not base58: {e.Message}", e);
        }

        if (payload.Length != 1 + PublicKeyLength + ChecksumLength)
        {
            throw new FormatException($"Address '{address}' decodes to {payload.Length} bytes; an address is 35 (prefix, 32-byte key, 2-byte checksum).");
        }

        if (payload[0] != expectedPrefix)
        {
            throw new FormatException($"Address '{address}' has network prefix {payload[0]}; this network uses {expectedPrefix}.");
        }

        var expected = Checksum(payload.AsSpan(0, 1 + PublicKeyLength));
        if (!payload.AsSpan(1 + PublicKeyLength).SequenceEqual(expected))
        {
            throw new FormatException($"Address '{address}' has a bad checksum (a mistyped character?).");
        }

        return payload.AsSpan(1, PublicKeyLength).ToArray();
    }

    public static bool TryDecode(string address, out byte[] publicKey, out string error, byte expectedPrefix = DefaultPrefix)
    {
        try
        {
            publicKey = Decode(address, expectedPrefix);
            error = string.Empty;
            return true;
        }
        catch (FormatException e)
        {
            publicKey = [];
            error = e.Message;
            return false;
        }
    }

    private static byte[] Checksum(ReadOnlySpan<byte> prefixAndKey)
    {
        var hash = new Blake2b.Hasher(64).Update(ChecksumContext).Update(prefixAndKey).Finish();
        return hash.AsSpan(0, ChecksumLength).ToArray();
    }
}
