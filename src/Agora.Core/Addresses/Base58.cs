namespace Agora.Core.Addresses;

/// <summary>Base58 with the Bitcoin alphabet (no 0, O, I, l); leading zero bytes become leading '1's.</summary>
public static class Base58
{
    public const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>
    /// The longest text <see cref="Decode(string)"/> accepts. Decoding is quadratic in the length (every digit touches
    /// every byte decoded so far), so the length is checked before any work: 1024 characters cost about a million
    /// small steps, while an 80,000-character string would cost seconds. Callers with a known format bound it tighter.
    /// </summary>
    public const int MaxDecodeLength = 1024;

    private static readonly sbyte[] Index = BuildIndex();

    private static sbyte[] BuildIndex()
    {
        var index = new sbyte[128];
        Array.Fill(index, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            index[Alphabet[i]] = (sbyte)i;
        }

        return index;
    }

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }

        // Base-256 to base-58 by repeated long division; the digit buffer is sized for the worst case (log 256 / log 58 < 1.37).
        var digits = new byte[(data.Length * 137 / 100) + 1];
        var used = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            for (var j = 0; j < used; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }

            while (carry > 0)
            {
                digits[used++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        var chars = new char[zeros + used];
        for (var i = 0; i < zeros; i++)
        {
            chars[i] = '1';
        }

        for (var i = 0; i < used; i++)
        {
            chars[zeros + i] = Alphabet[digits[used - 1 - i]];
        }

        return new string(chars);
    }

    /// <summary>Decodes base58 text of at most <see cref="MaxDecodeLength"/> characters; throws <see cref="FormatException"/>
    /// for longer text (before decoding anything) or naming the first character outside the alphabet.</summary>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxDecodeLength)
        {
            throw new FormatException($"The text is {text.Length} characters long; base58 decoding accepts at most {MaxDecodeLength}.");
        }
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }

        var bytes = new byte[text.Length];
        var used = 0;
        for (var i = zeros; i < text.Length; i++)
        {
            var c = text[i];
            var digit = c < 128 ? Index[c] : (sbyte)-1;
            if (digit < 0)
            {
                throw new FormatException($"Character '{c}' at position {i} is not in the base58 alphabet (no 0, O, I or l).");
            }

            int carry = digit;
            for (var j = 0; j < used; j++)
            {
                carry += bytes[j] * 58;
                bytes[j] = (byte)(carry & 0xFF);
                carry >>= 8;
            }

            while (carry > 0)
            {
                bytes[used++] = (byte)(carry & 0xFF);
                carry >>= 8;
            }
        }

        var result = new byte[zeros + used];
        for (var i = 0; i < used; i++)
        {
            result[zeros + i] = bytes[used - 1 - i];
        }

        return result;
    }
}
