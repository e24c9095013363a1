using System.Numerics;

namespace Agora.Core.FixedPoint;

/// <summary>Exact wide-integer helpers for the 128-bit fixed-point types, whose products need up to 256 bits.
/// BigInteger is used only on the slow path, when the operands are too large for a 128-bit product.</summary>
internal static class FixedWide
{
    /// <summary>floor(a * b / 2^shift), exact.</summary>
    public static BigInteger MulShiftFloor(BigInteger a, BigInteger b, int shift) => (a * b) >> shift;

    /// <summary>trunc(a * 2^shift / b), exact; b must be non-zero.</summary>
    public static BigInteger ShiftDivTrunc(BigInteger a, BigInteger b, int shift) => BigInteger.Divide(a << shift, b);

    /// <summary>Exact decimal text of bits / 2^fracBits (every binary fraction has a finite decimal expansion).</summary>
    public static string ToDecimalString(BigInteger bits, int fracBits)
    {
        var negative = bits.Sign < 0;
        var magnitude = BigInteger.Abs(bits);
        var integer = magnitude >> fracBits;
        var fraction = magnitude - (integer << fracBits);
        var text = new System.Text.StringBuilder();
        if (negative)
        {
            text.Append('-');
        }

        text.Append(integer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!fraction.IsZero)
        {
            text.Append('.');
            var mask = (BigInteger.One << fracBits) - 1;
            while (!fraction.IsZero)
            {
                fraction *= 10;
                text.Append((char)('0' + (int)(fraction >> fracBits)));
                fraction &= mask;
            }
        }

        return text.ToString();
    }
}
