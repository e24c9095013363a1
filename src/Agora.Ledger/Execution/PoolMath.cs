using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.Execution;

/// <summary>The subnet's Dynamic TAO pool: price = TAO reserve / alpha reserve, as Q64 (bits / 2^64).</summary>
public static class PoolMath
{
    public const ulong MinReserve = 1_000;
    public static readonly UInt128 OneQ64 = (UInt128)1 << 64;

    /// <summary>Spot price in Q64; 0 for an empty alpha reserve.</summary>
    public static UInt128 SpotPriceQ64(ulong taoReserve, ulong alphaReserve) =>
        alphaReserve == 0 ? 0 : Arith.MulDiv(taoReserve, OneQ64, alphaReserve);

    public static UInt128 SpotPriceQ64(Subnet s) => SpotPriceQ64(s.TaoReserve, s.AlphaReserve);

    /// <summary>Null when reserves are acceptable after a swap: both at least <see cref="MinReserve"/>, price within [1e-6, 1e9].</summary>
    public static string? CheckReserves(ulong tao, ulong alpha)
    {
        if (tao < MinReserve || alpha < MinReserve)
        {
            return $"the pool would fall below its minimum reserve of {MinReserve} (TAO {tao}, alpha {alpha})";
        }

        if ((UInt128)tao * 1_000_000 < alpha)
        {
            return "the pool price would fall below 1e-6 TAO per alpha";
        }

        return (UInt128)tao > (UInt128)alpha * 1_000_000_000 ? "the pool price would rise above 1e9 TAO per alpha" : null;
    }

    /// <summary>Value of <paramref name="alpha"/> at the spot price, in rao (floor).</summary>
    public static ulong AlphaToTao(ulong alpha, Subnet s) => Arith.MulDivU64(alpha, s.TaoReserve, s.AlphaReserve);
}
