namespace Agora.Data;

/// <summary>
/// Splits bytes into pieces so that BPE merges never cross a word boundary ("agora-split-v1"). Bytes are classed
/// as letters (ASCII letters and every byte ≥ 0x80, so multi-byte UTF-8 characters stay inside words), digits,
/// whitespace (space, \t, \n, \v, \f, \r) or other (punctuation, control bytes). A piece is a run of one class;
/// a single space directly before a non-whitespace run belongs to that run (" word"), and a whitespace run that
/// ends in a space before a non-whitespace byte leaves that last space to the next piece. Runs longer than
/// <see cref="MaxPieceBytes"/> are cut into pieces of that length, which bounds the cost of encoding any input.
/// </summary>
public static class PreTokenizer
{
    public const string Name = "agora-split-v1";
    public const int MaxPieceBytes = 128;

    private const byte Letter = 0;
    private const byte Digit = 1;
    private const byte Space = 2;
    private const byte Other = 3;

    private static readonly byte[] Classes = BuildClasses();

    /// <summary>The length of the piece that starts at the beginning of <paramref name="text"/> (0 only when empty).</summary>
    public static int NextPieceLength(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var n = text.Length;
        var cls = Classes[text[0]];
        int end;
        if (text[0] == (byte)' ' && n > 1 && Classes[text[1]] != Space)
        {
            end = RunEnd(text, 1, Classes[text[1]]);
        }
        else if (cls != Space)
        {
            end = RunEnd(text, 0, cls);
        }
        else
        {
            end = RunEnd(text, 0, Space);
            if (end < n && end > 1 && text[end - 1] == (byte)' ')
            {
                end--;
            }
        }

        return Math.Min(end, MaxPieceBytes);
    }

    /// <summary>Every piece of <paramref name="text"/> as (start, length), in order; the pieces tile the input.</summary>
    public static List<(int Start, int Length)> Split(ReadOnlySpan<byte> text)
    {
        var pieces = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            var len = NextPieceLength(text[i..]);
            pieces.Add((i, len));
            i += len;
        }

        return pieces;
    }

    private static int RunEnd(ReadOnlySpan<byte> text, int from, byte cls)
    {
        var j = from;
        while (j < text.Length && Classes[text[j]] == cls)
        {
            j++;
        }

        return j;
    }

    private static byte[] BuildClasses()
    {
        var classes = new byte[256];
        for (var b = 0; b < 256; b++)
        {
            classes[b] = b switch
            {
                >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= 0x80 => Letter,
                >= '0' and <= '9' => Digit,
                ' ' or '\t' or '\n' or '\v' or '\f' or '\r' => Space,
                _ => Other,
            };
        }

        return classes;
    }
}
