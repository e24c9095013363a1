namespace Agora.SparseLoCo.Wire;

/// <summary>Constants and sizes of the SparseLoCo payload (layout in WIRE-FORMAT.md).</summary>
public static class PayloadFormat
{
    /// <summary>"AGSL" in ASCII.</summary>
    public static ReadOnlySpan<byte> Magic => "AGSL"u8;

    public const ushort Version = 1;
    public const int ConfigHashSize = 32;
    public const int HeaderSize = 56;
    public const int TensorHeaderSize = 40;
    public const int DigestSize = 32;
    public const int SignatureSize = 64;
    public const int TrailerSize = DigestSize + SignatureSize;

    public static long IndexBytes(long kept) => ((kept * 12) + 7) / 8;

    public static long CodeBytes(long kept) => (kept + 3) / 4;

    /// <summary>Bytes of tensor <paramref name="grid"/>'s section: fixed header, packed indices, packed codes.</summary>
    public static long TensorSectionSize(ChunkGrid grid, CodecSettings settings)
    {
        var kept = (long)grid.ChunkCount * grid.KeepPerChunk(settings.KeepPer4096);
        return TensorHeaderSize + IndexBytes(kept) + CodeBytes(kept);
    }

    /// <summary>The exact size of a valid payload for the layout: header, every tensor section, digest, signature.</summary>
    public static long SizeOf(TensorLayout layout, CodecSettings settings)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(settings);
        var size = (long)HeaderSize + TrailerSize;
        foreach (var grid in layout.Grids)
        {
            size += TensorSectionSize(grid, settings);
        }

        return size;
    }
}
