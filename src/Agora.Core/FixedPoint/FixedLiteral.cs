using System.Numerics;

namespace Agora.Core.FixedPoint;

/// <summary>Floating-point literal conversion (substrate-fixed from_num of f32/f64: the exact value times 2^frac,
/// rounded to nearest, ties to even). Only for constants, tests and display: no state transition may call this.</summary>
public static class FixedLiteral
{
    public static I32F32 ToI32F32(float literal) => ToI32F32((double)literal);

    public static I32F32 ToI32F32(double literal)
    {
        var bits = Scaled(literal, I32F32.FracBits);
        return bits < long.MinValue || bits > long.MaxValue
            ? throw new OverflowException($"{literal} does not fit in I32F32")
            : I32F32.FromBits((long)bits);
    }

    public static I64F64 ToI64F64(double literal)
    {
        var bits = Scaled(literal, I64F64.FracBits);
        return bits < (BigInteger)Int128.MinValue || bits > (BigInteger)Int128.MaxValue
            ? throw new OverflowException($"{literal} does not fit in I64F64")
            : I64F64.FromBits((Int128)bits);
    }

    public static U64F64 ToU64F64(double literal)
    {
        var bits = Scaled(literal, U64F64.FracBits);
        return bits.Sign < 0 || bits > (BigInteger)UInt128.MaxValue
            ? throw new OverflowException($"{literal} does not fit in U64F64")
            : U64F64.FromBits((UInt128)bits);
    }

    public static I96F32 ToI96F32(double literal)
    {
        var bits = Scaled(literal, I96F32.FracBits);
        return bits < (BigInteger)Int128.MinValue || bits > (BigInteger)Int128.MaxValue
            ? throw new OverflowException($"{literal} does not fit in I96F32")
            : I96F32.FromBits((Int128)bits);
    }

    /// <summary>Approximate value, for display and test tolerances only.</summary>
    public static double ToDouble(I32F32 value) => value.Bits / 4294967296.0;

    /// <summary>round_ties_even(literal * 2^fracBits), computed exactly from the double's mantissa and exponent.</summary>
    private static BigInteger Scaled(double literal, int fracBits)
    {
        if (!double.IsFinite(literal))
        {
            throw new ArgumentOutOfRangeException(nameof(literal), literal, "a fixed-point literal must be finite");
        }

        if (literal == 0)
        {
            return BigInteger.Zero;
        }

        var raw = BitConverter.DoubleToInt64Bits(literal);
        var negative = raw < 0;
        var exponentField = (int)((raw >> 52) & 0x7FF);
        var mantissa = raw & 0xFFFFFFFFFFFFFL;
        int exponent;
        if (exponentField == 0)
        {
            exponent = -1074;
        }
        else
        {
            mantissa |= 1L << 52;
            exponent = exponentField - 1075;
        }

        // value = mantissa * 2^exponent, so value * 2^fracBits = mantissa * 2^shift.
        var shift = exponent + fracBits;
        BigInteger result;
        if (shift >= 0)
        {
            result = (BigInteger)mantissa << shift;
        }
        else
        {
            var m = (BigInteger)mantissa;
            var drop = -shift;
            var floor = m >> drop;
            var remainder = m - (floor << drop);
            var half = BigInteger.One << (drop - 1);
            result = remainder > half || (remainder == half && !floor.IsEven) ? floor + 1 : floor;
        }

        return negative ? -result : result;
    }
}
