namespace Agora.SparseLoCo.Wire;

/// <summary>Little-endian bit streams: value i of width w occupies bits [w·i, w·i + w) of the stream, bit j of the stream
/// being bit (j mod 8) of byte j / 8. Unused bits of the last byte are zero.</summary>
public static class BitPacking
{
    /// <summary>Packs 12-bit values, two per three bytes.</summary>
    public static void Pack12(ReadOnlySpan<ushort> values, Span<byte> output)
    {
        var o = 0;
        var i = 0;
        for (; i + 1 < values.Length; i += 2, o += 3)
        {
            int a = values[i], b = values[i + 1];
            output[o] = (byte)a;
            output[o + 1] = (byte)((a >> 8) | (b << 4));
            output[o + 2] = (byte)(b >> 4);
        }

        if (i < values.Length)
        {
            output[o] = (byte)values[i];
            output[o + 1] = (byte)(values[i] >> 8);
        }
    }

    /// <summary>Unpacks 12-bit values; false when the padding bits of the last byte are not zero.</summary>
    public static bool Unpack12(ReadOnlySpan<byte> input, Span<ushort> values)
    {
        var o = 0;
        var i = 0;
        for (; i + 1 < values.Length; i += 2, o += 3)
        {
            int b0 = input[o], b1 = input[o + 1], b2 = input[o + 2];
            values[i] = (ushort)(b0 | ((b1 & 0x0F) << 8));
            values[i + 1] = (ushort)((b1 >> 4) | (b2 << 4));
        }

        if (i < values.Length)
        {
            values[i] = (ushort)(input[o] | ((input[o + 1] & 0x0F) << 8));
            return (input[o + 1] & 0xF0) == 0;
        }

        return true;
    }

    /// <summary>Packs 2-bit codes, four per byte, the first code in the lowest bits.</summary>
    public static void Pack2(ReadOnlySpan<byte> codes, Span<byte> output)
    {
        output.Clear();
        for (var i = 0; i < codes.Length; i++)
        {
            output[i >> 2] |= (byte)((codes[i] & 3) << ((i & 3) * 2));
        }
    }

    /// <summary>Unpacks 2-bit codes; false when the padding bits of the last byte are not zero.</summary>
    public static bool Unpack2(ReadOnlySpan<byte> input, Span<byte> codes)
    {
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (byte)((input[i >> 2] >> ((i & 3) * 2)) & 3);
        }

        var used = codes.Length & 3;
        return used == 0 || (input[codes.Length >> 2] >> (used * 2)) == 0;
    }
}
