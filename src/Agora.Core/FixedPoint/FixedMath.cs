namespace Agora.Core.FixedPoint;

/// <summary>The transcendental functions subtensor uses, bit for bit: substrate-fixed's 31-term Taylor exp on
/// I32F32 (so exp(20) is about 4.812e8 rather than e^20), its clamped exp_safe, and the integer log2 on I96F32 bits
/// that the block-emission halving curve uses.</summary>
public static class FixedMath
{
    private static readonly I32F32 ExpOne = I32F32.FromBits(22802600L << 9);
    private static readonly I32F32 ExpLimit = I32F32.FromInt(20);

    /// <summary>exp(x) or null when an intermediate overflows (checked arithmetic failure).</summary>
    public static I32F32? Exp(I32F32 x)
    {
        if (x.IsZero)
        {
            return I32F32.One;
        }

        if (x == I32F32.One)
        {
            return ExpOne;
        }

        var negative = x.IsNegative;
        if (negative)
        {
            if (x == I32F32.MinValue)
            {
                return null;
            }

            x = -x;
        }

        var result = I32F32.CheckedAdd(x, I32F32.One);
        if (result is null)
        {
            return null;
        }

        var term = x;
        for (var i = 2; i <= 31; i++)
        {
            var multiplied = I32F32.CheckedMul(term, x);
            if (multiplied is null)
            {
                return null;
            }

            // checked_div(term, from_int(i)) = trunc(term·2^32 / (i·2^32)) = trunc(term / i), which cannot fail.
            term = I32F32.FromBits(multiplied.Value.Bits / i);
            if (term.IsZero)
            {
                // Every later term is 0 too (0·x = 0, 0/i = 0), so the sum is final.
                break;
            }

            result = I32F32.CheckedAdd(result.Value, term);
            if (result is null)
            {
                return null;
            }
        }

        return negative ? I32F32.CheckedDiv(I32F32.One, result.Value) : result;
    }

    /// <summary>exp with x clamped to [-20, 20]; on an arithmetic failure 0 for x &lt;= 0 and the maximum otherwise.</summary>
    public static I32F32 ExpSafe(I32F32 x)
    {
        var clamped = I32F32.Clamp(x, -ExpLimit, ExpLimit);
        return Exp(clamped) ?? (clamped <= I32F32.Zero ? I32F32.Zero : I32F32.MaxValue);
    }

    /// <summary>substrate-fixed's log2 for x &gt;= 1: integer part by halving (rounding half up), then 32 fraction
    /// bits by repeated squaring. Throws for x &lt; 1, which the block-emission curve never passes.</summary>
    public static I96F32 Log2(I96F32 x)
    {
        var one = (Int128)1 << I96F32.FracBits;
        var two = one << 1;
        var bits = x.Bits;
        if (bits < one)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "log2 is implemented for x >= 1 only");
        }

        Int128 result = 0;
        while (bits >= two)
        {
            result += 1;
            bits = (bits >> 1) + (bits & 1);
        }

        if (bits == one)
        {
            return I96F32.FromBits(result << I96F32.FracBits);
        }

        for (var i = 0; i < I96F32.FracBits; i++)
        {
            bits = bits * bits >> I96F32.FracBits;
            result <<= 1;
            if (bits >= two)
            {
                result |= 1;
                bits = (bits >> 1) + (bits & 1);
            }
        }

        return I96F32.FromBits(result);
    }
}
