using System.Numerics;

namespace Agora.Core.FixedPoint;

/// <summary>Unsigned 128-by-64-bit division with a 64-bit quotient, by two-digit long division in base 2^32 (Knuth's
/// algorithm D specialised to a two-digit divisor, as in Hacker's Delight's divlu). .NET's general UInt128 division is
/// an order of magnitude slower, and the epoch divides tens of thousands of times.</summary>
internal static class Divide128
{
    private const ulong Base = 1UL << 32;

    /// <summary>floor((high·2^64 + low) / divisor); requires high &lt; divisor (so the quotient fits in 64 bits).</summary>
    public static ulong Divide(ulong high, ulong low, ulong divisor)
    {
        if (high == 0)
        {
            return low / divisor;
        }

        // Normalise so the divisor's top bit is set; the quotient digits are then off by at most 2.
        var shift = BitOperations.LeadingZeroCount(divisor);
        divisor <<= shift;
        var divisorHigh = divisor >> 32;
        var divisorLow = divisor & 0xFFFFFFFF;
        var numeratorTop = shift == 0 ? high : (high << shift) | (low >> (64 - shift));
        var numeratorLow = low << shift;
        var digit1 = numeratorLow >> 32;
        var digit0 = numeratorLow & 0xFFFFFFFF;

        var q1 = numeratorTop / divisorHigh;
        var remainder = numeratorTop - q1 * divisorHigh;
        while (q1 >= Base || q1 * divisorLow > ((remainder << 32) | digit1))
        {
            q1--;
            remainder += divisorHigh;
            if (remainder >= Base)
            {
                break;
            }
        }

        var middle = (numeratorTop << 32) + digit1 - q1 * divisor;
        var q0 = middle / divisorHigh;
        remainder = middle - q0 * divisorHigh;
        while (q0 >= Base || q0 * divisorLow > ((remainder << 32) | digit0))
        {
            q0--;
            remainder += divisorHigh;
            if (remainder >= Base)
            {
                break;
            }
        }

        return (q1 << 32) + q0;
    }

    /// <summary>trunc(a·2^32 / b) for I32F32 bits, or false when b is 0 or the quotient leaves the i64 range.</summary>
    public static bool TryShiftDivide(long a, long b, out long quotient)
    {
        quotient = 0;
        if (b == 0)
        {
            return false;
        }

        var negative = (a < 0) != (b < 0);
        var magnitudeA = a < 0 ? 0UL - (ulong)a : (ulong)a;
        var magnitudeB = b < 0 ? 0UL - (ulong)b : (ulong)b;
        var high = magnitudeA >> 32;
        if (high >= magnitudeB)
        {
            return false;
        }

        var q = Divide(high, magnitudeA << 32, magnitudeB);
        if (negative)
        {
            if (q > 1UL << 63)
            {
                return false;
            }

            quotient = (long)(0UL - q);
            return true;
        }

        if (q > long.MaxValue)
        {
            return false;
        }

        quotient = (long)q;
        return true;
    }
}
