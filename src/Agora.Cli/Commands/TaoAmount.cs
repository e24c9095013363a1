using System.Globalization;

namespace Agora.Cli.Commands;

/// <summary>
/// Token amounts on the command line: TAO (or alpha) as a decimal with at most 9 fraction digits, converted to
/// rao exactly with integer arithmetic ("1.5" → 1,500,000,000), never through floating point.
/// </summary>
public static class TaoAmount
{
    public const ulong RaoPerTao = 1_000_000_000;
    private const int Decimals = 9;

    /// <summary>Parses "12", "1.5", "0.000000001"; throws <see cref="FormatException"/> naming <paramref name="what"/> otherwise.</summary>
    public static ulong Parse(string text, string what = "amount")
    {
        var t = (text ?? "").Trim();
        if (t.Length == 0)
        {
            throw new FormatException($"The {what} is empty; give a TAO amount such as 1.5.");
        }

        var dot = t.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? t : t[..dot];
        var fraction = dot < 0 ? "" : t[(dot + 1)..];
        if ((whole.Length == 0 && fraction.Length == 0) || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
        {
            throw new FormatException($"The {what} '{text}' is not a non-negative decimal number such as 1.5 (digits and at most one '.').");
        }

        if (fraction.Length > Decimals)
        {
            throw new FormatException($"The {what} '{text}' has {fraction.Length} decimals; 1 rao = 0.000000001, so at most {Decimals} are allowed.");
        }

        try
        {
            var w = whole.Length == 0 ? 0 : ulong.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
            var f = fraction.Length == 0 ? 0 : ulong.Parse(fraction.PadRight(Decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
            return checked((w * RaoPerTao) + f);
        }
        catch (OverflowException)
        {
            throw new FormatException($"The {what} '{text}' is too large (the most is {Format(ulong.MaxValue)}).");
        }
    }

    /// <summary>Exact decimal text of a rao amount, trailing zeros trimmed ("1.5", "2", "0.000000001").</summary>
    public static string Format(ulong rao)
    {
        var whole = rao / RaoPerTao;
        var fraction = rao % RaoPerTao;
        var text = whole.ToString(CultureInfo.InvariantCulture);
        return fraction == 0 ? text : text + "." + fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}
