using System.Buffers.Binary;

namespace Agora.Data;

/// <summary>
/// The llm.c token-shard header: 256 little-endian int32 values, of which [0] is the magic 20240520,
/// [1] the version (1 = uint16 tokens, 2 = uint32 tokens) and [2] the token count; the rest are zero.
/// The tokens follow immediately, little-endian, so a shard is 1024 + count × (2 or 4) bytes long.
/// </summary>
public readonly record struct TokenShardHeader(int Version, long TokenCount)
{
    public const int Magic = 20240520;
    public const int HeaderInts = 256;
    public const int HeaderBytes = HeaderInts * sizeof(int);
    public const int VersionUInt16 = 1;
    public const int VersionUInt32 = 2;

    /// <summary>Bytes per token for this header's version.</summary>
    public int TokenBytes => Version == VersionUInt16 ? 2 : 4;

    /// <summary>The exact file length this header promises.</summary>
    public long FileLength => HeaderBytes + (TokenCount * TokenBytes);

    /// <summary>True when the first bytes of a file carry the shard magic (used to tell shards from text inputs).</summary>
    public static bool HasMagic(ReadOnlySpan<byte> firstBytes) =>
        firstBytes.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(firstBytes) == Magic;

    /// <summary>Writes the 1024-byte header into <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < HeaderBytes)
        {
            throw new ArgumentException($"A shard header needs {HeaderBytes} bytes; the buffer has {destination.Length}.", nameof(destination));
        }

        if (Version is not (VersionUInt16 or VersionUInt32))
        {
            throw new ArgumentOutOfRangeException(nameof(Version), Version, "Shard version must be 1 (uint16 tokens) or 2 (uint32 tokens).");
        }

        if (TokenCount is < 0 or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(TokenCount), TokenCount, "The llm.c header stores the token count as an int32.");
        }

        destination[..HeaderBytes].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], (int)TokenCount);
    }

    /// <summary>Parses and validates a header; <paramref name="source"/> names the file in error messages.</summary>
    public static TokenShardHeader Parse(ReadOnlySpan<byte> header, string source)
    {
        if (header.Length < HeaderBytes)
        {
            throw new TokenShardFormatException(
                $"{source}: truncated header ({header.Length} bytes; an llm.c shard starts with a {HeaderBytes}-byte header).");
        }

        var magic = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (magic != Magic)
        {
            throw new TokenShardFormatException($"{source}: bad magic {magic} (expected {Magic}); this is not an llm.c token shard.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (version is not (VersionUInt16 or VersionUInt32))
        {
            throw new TokenShardFormatException(
                $"{source}: unsupported version {version} (1 = uint16 tokens, 2 = uint32 tokens).");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (count < 0)
        {
            throw new TokenShardFormatException($"{source}: negative token count {count} in the header.");
        }

        return new TokenShardHeader(version, count);
    }
}
