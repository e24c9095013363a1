using System.Numerics;
using Agora.Core.FixedPoint;

namespace Agora.Ledger.Economics;

public enum SwapOrder
{
    /// <summary>TAO in, alpha out (stake).</summary>
    Buy = 1,

    /// <summary>Alpha in, TAO out (unstake).</summary>
    Sell = 2,
}

/// <summary>A swap's fee (burned), the net amount that enters the pool, and the amount paid out.</summary>
public readonly record struct SwapResult(ulong Fee, ulong NetIn, ulong AmountOut);

/// <summary>The weighted-balancer pool of a subnet (vectors TV-7): TAO reserve y with quote weight w2, alpha reserve
/// x with weight w1 = 1 - w2 (Perquintill, parts per 10^18). Equal weights make it the constant-product pool.
/// buy: out = x·(1 − (y/(y+net))^(w2/w1)); sell: out = y·(1 − (x/(x+net))^(w1/w2)); the power is floored at scale
/// 10^18 and the payout floored through U64F64. All integer; see <see cref="BalancerMath"/>.</summary>
public static class BalancerSwap
{
    public const ulong Perquintill = 1_000_000_000_000_000_000;

    /// <summary>The default swap fee rate, 33/65535 of the input.</summary>
    public const ushort DefaultFeeRate = 33;

    /// <summary>floor(amount · floor(rate·2^64/65535) / 2^64): U64F64(amount) · (U64F64(rate) / U64F64(65535)).</summary>
    public static ulong Fee(ulong amount, ushort feeRate)
    {
        var rate = U64F64.FromInt(feeRate) / U64F64.FromInt(ushort.MaxValue);
        return (U64F64.FromInt(amount) * rate).ToU64();
    }

    /// <summary>A full swap: the fee is taken from the input, the rest is converted.</summary>
    public static SwapResult Swap(SwapOrder order, ulong amountIn, ulong taoReserve, ulong alphaReserve, ulong quoteWeightPerquintill, ushort feeRate)
    {
        var fee = Fee(amountIn, feeRate);
        var net = amountIn - fee;
        var output = ConvertDelta(order, net, taoReserve, alphaReserve, quoteWeightPerquintill);
        return new SwapResult(fee, net, output);
    }

    /// <summary>convert_deltas: the pool's output for <paramref name="deltaIn"/> with no fee and no price limit.</summary>
    public static ulong ConvertDelta(SwapOrder order, ulong deltaIn, ulong taoReserve, ulong alphaReserve, ulong quoteWeightPerquintill)
    {
        if (quoteWeightPerquintill == 0 || quoteWeightPerquintill >= Perquintill)
        {
            throw new ArgumentOutOfRangeException(nameof(quoteWeightPerquintill), quoteWeightPerquintill, "the quote weight must be strictly between 0 and 10^18 (Perquintill)");
        }

        var quoteWeight = (BigInteger)quoteWeightPerquintill;
        var baseWeight = (BigInteger)(Perquintill - quoteWeightPerquintill);
        return order switch
        {
            SwapOrder.Buy => Out(alphaReserve, taoReserve, deltaIn, quoteWeight, baseWeight),
            SwapOrder.Sell => Out(taoReserve, alphaReserve, deltaIn, baseWeight, quoteWeight),
            _ => throw new ArgumentOutOfRangeException(nameof(order), order, "unknown swap order"),
        };
    }

    /// <summary>Spot price of alpha in TAO, (y / w2) / (x / w1), as U64F64; 0 when the alpha reserve is empty.</summary>
    public static U64F64 SpotPrice(ulong taoReserve, ulong alphaReserve, ulong quoteWeightPerquintill)
    {
        if (alphaReserve == 0 || quoteWeightPerquintill == 0)
        {
            return U64F64.Zero;
        }

        var numerator = ((BigInteger)taoReserve * (Perquintill - quoteWeightPerquintill)) << 64;
        var bits = numerator / ((BigInteger)alphaReserve * quoteWeightPerquintill);
        return bits > (BigInteger)UInt128.MaxValue ? U64F64.MaxValue : U64F64.FromBits((UInt128)bits);
    }

    /// <summary>outReserve · (1 − (inReserve / (inReserve + delta))^(wIn / wOut)).</summary>
    private static ulong Out(ulong outReserve, ulong inReserve, ulong delta, BigInteger weightIn, BigInteger weightOut)
    {
        if (delta == 0 || outReserve == 0)
        {
            return 0;
        }

        if (inReserve == 0)
        {
            // An empty input side prices the output at nothing: the whole output reserve would be paid.
            return outReserve;
        }

        var power = BalancerMath.PowRatio(inReserve, (BigInteger)inReserve + delta, weightIn, weightOut);
        var remaining = U64F64.FromInt((ulong)BalancerMath.ResultScale - power) / U64F64.FromInt((ulong)BalancerMath.ResultScale);
        return (U64F64.FromInt(outReserve) * remaining).ToU64();
    }
}
