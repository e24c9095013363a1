using Agora.Core.FixedPoint;

namespace Agora.Ledger.Economics;

/// <summary>The registration burn price (vectors TV-6): it decays every block by a Q32 factor whose half-life is
/// <c>halfLife</c> blocks and is multiplied by a U64F64 factor after each registration, clamped to
/// [min, max] after each change. All arithmetic is u64 with 128-bit intermediates.</summary>
public static class RegistrationBurn
{
    private const ulong OneQ32 = 1UL << 32;

    /// <summary>min((v * f) &gt;&gt; 32, u64::MAX) with f a Q32 factor.</summary>
    public static ulong MulByQ32(ulong value, ulong factorQ32)
    {
        var product = (UInt128)value * factorQ32 >> 32;
        return product > ulong.MaxValue ? ulong.MaxValue : (ulong)product;
    }

    /// <summary>base^exponent in Q32 by square-and-multiply, flooring after each step.</summary>
    public static ulong PowQ32(ulong baseQ32, ulong exponent)
    {
        var result = OneQ32;
        var factor = baseQ32;
        var remaining = exponent;
        while (remaining > 0)
        {
            if ((remaining & 1) == 1)
            {
                result = MulByQ32(result, factor);
            }

            remaining >>= 1;
            if (remaining > 0)
            {
                factor = MulByQ32(factor, factor);
            }
        }

        return result;
    }

    /// <summary>The largest Q32 factor f with pow_q32(f, halfLife) &lt;= 1/2 (binary search); 1.0 for a half-life of 0.</summary>
    public static ulong DecayFactorQ32(ulong halfLife)
    {
        if (halfLife == 0)
        {
            return OneQ32;
        }

        ulong lo = 0;
        ulong hi = OneQ32;
        while (lo + 1 < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (PowQ32(mid, halfLife) > OneQ32 >> 1)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return lo;
    }

    /// <summary>The burn after moving to <paramref name="newBlock"/>: decayed when the half-life is non-zero and the
    /// block is past 1, then clamped.</summary>
    public static ulong OnBlock(ulong burn, ulong newBlock, ulong halfLife, ulong minBurn, ulong maxBurn) =>
        OnBlockWithFactor(burn, newBlock, halfLife == 0 ? OneQ32 : DecayFactorQ32(halfLife), halfLife, minBurn, maxBurn);

    /// <summary><see cref="OnBlock"/> with a precomputed <see cref="DecayFactorQ32"/> (it is constant per half-life).</summary>
    public static ulong OnBlockWithFactor(ulong burn, ulong newBlock, ulong decayFactorQ32, ulong halfLife, ulong minBurn, ulong maxBurn)
    {
        CheckBounds(minBurn, maxBurn);
        if (halfLife > 0 && newBlock > 1)
        {
            burn = MulByQ32(burn, decayFactorQ32);
        }

        return Math.Clamp(burn, minBurn, maxBurn);
    }

    /// <summary>The burn after a registration: multiplied by max(multiplier, 1) (U64F64), saturating, then clamped.</summary>
    public static ulong OnRegistration(ulong burn, U64F64 multiplier, ulong minBurn, ulong maxBurn)
    {
        CheckBounds(minBurn, maxBurn);
        var factor = multiplier < U64F64.One ? U64F64.One : multiplier;
        var bumped = U64F64.SaturatingMul(U64F64.FromInt(burn), factor).ToU64();
        return Math.Clamp(bumped, minBurn, maxBurn);
    }

    private static void CheckBounds(ulong minBurn, ulong maxBurn)
    {
        if (minBurn > maxBurn)
        {
            throw new ArgumentException($"min burn {minBurn} exceeds max burn {maxBurn}");
        }
    }
}
