using Agora.Ledger.Primitives;

namespace Agora.Ledger.Execution;

/// <summary>
/// The narrow set of economic rules the state machine needs: block emission for an issuance, registration
/// burn decay and bump, and the equal-weight pool swap. Every call site in the state machine goes through here
/// so the rules have one home.
/// </summary>
internal static class EconomicsBridge
{
    public const ulong MaxSupply = 21_000_000_000_000_000;

    /// <summary>×1.26 as U64F64 raw bits (vectors TV-6 "defaults").</summary>
    public static readonly UInt128 BurnIncreaseMultBits = UInt128.Parse("23242897532874035200", System.Globalization.CultureInfo.InvariantCulture);

    public const ushort BurnHalfLife = 360;

    public const ushort SwapFeeRate = 33;

    /// <summary>floor(1e9 / 2^k) with k = floor(log2(1 / (1 − issuance / 21e15))) (vectors TV-8).</summary>
    public static ulong BlockEmission(ulong issuance)
    {
        if (issuance >= MaxSupply)
        {
            return 0;
        }

        UInt128 q = ((UInt128)issuance << 32) / MaxSupply;
        UInt128 x = ((UInt128)1 << 64) / (((UInt128)1 << 32) - q);
        var k = (int)(Log2Bits(x) >> 32);
        UInt128 pct = ((UInt128)1 << 64) / ((UInt128)1 << (k + 32));
        return (ulong)((pct * ((UInt128)1_000_000_000 << 32)) >> 64);
    }

    private static UInt128 Log2Bits(UInt128 x)
    {
        UInt128 one = (UInt128)1 << 32;
        UInt128 r = 0;
        while (x >= one << 1)
        {
            r++;
            x = (x >> 1) + (x & 1);
        }

        if (x == one)
        {
            return r << 32;
        }

        for (var i = 0; i < 32; i++)
        {
            x = (x * x) >> 32;
            r <<= 1;
            if (x >= one << 1)
            {
                r |= 1;
                x = (x >> 1) + (x & 1);
            }
        }

        return r;
    }

    private static ulong MulQ32(ulong v, ulong f) => (ulong)UInt128.Min(((UInt128)v * f) >> 32, ulong.MaxValue);

    private static ulong PowQ32(ulong b, ulong e)
    {
        ulong r = 1UL << 32, f = b, p = e;
        while (p > 0)
        {
            if ((p & 1) == 1)
            {
                r = MulQ32(r, f);
            }

            p >>= 1;
            if (p > 0)
            {
                f = MulQ32(f, f);
            }
        }

        return r;
    }

    /// <summary>Largest Q32 factor f with f^h ≤ 1/2 (binary search; vectors TV-6).</summary>
    public static ulong DecayFactorQ32(ulong halfLife)
    {
        if (halfLife == 0)
        {
            return 1UL << 32;
        }

        ulong lo = 0, hi = 1UL << 32;
        while (lo + 1 < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (PowQ32(mid, halfLife) > 1UL << 31)
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

    private static readonly ulong DefaultDecay = DecayFactorQ32(BurnHalfLife);

    public static ulong DecayBurn(ulong burn, ulong newBlock, ulong minBurn, ulong maxBurn)
    {
        if (newBlock > 1)
        {
            burn = MulQ32(burn, DefaultDecay);
        }

        return Math.Clamp(burn, minBurn, maxBurn);
    }

    public static ulong BumpBurn(ulong burn, ulong minBurn, ulong maxBurn)
    {
        var mult = UInt128.Max(BurnIncreaseMultBits, (UInt128)1 << 64);
        var bumped = (ulong)UInt128.Min(Arith.MulDiv(burn, mult, (UInt128)1 << 64), ulong.MaxValue);
        return Math.Clamp(bumped, minBurn, maxBurn);
    }

    /// <summary>floor(amount × 33 / 65535) through the U64F64 fee rate (vectors TV-7).</summary>
    public static ulong SwapFee(ulong amount)
    {
        UInt128 rate = ((UInt128)SwapFeeRate << 64) / 65_535;
        return (ulong)Arith.MulDiv(amount, rate, (UInt128)1 << 64);
    }

    /// <summary>Constant-product output for <paramref name="netIn"/> into reserve <paramref name="reserveIn"/>: floor(out × in / (rIn + in)).</summary>
    public static ulong SwapOut(ulong reserveIn, ulong reserveOut, ulong netIn) =>
        (ulong)Arith.MulDiv(reserveOut, netIn, (UInt128)reserveIn + netIn);
}
