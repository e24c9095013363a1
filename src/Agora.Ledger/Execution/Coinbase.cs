using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.Execution;

/// <summary>
/// Per-block emission. The block's TAO emission (halving curve on total issuance) is split across subnets
/// that have reached their first emission block by EMA-price share (floor; undistributed rao is never minted).
/// Each subnet injects tao_in and alpha_in = tao_in / spot (capped at its alpha emission, tao_in then reduced to
/// keep the price) into its pool, and emits alpha_out (the halving curve on its alpha issuance) as pending:
/// owner cut 11,796/65,535, then half to miners and half to validators. No transaction can alter any input
/// of this function except through the pool price, which reaches the share only through the EMA.
/// </summary>
public static class Coinbase
{
    public const ulong OwnerCutNumerator = 11_796;
    public const ulong OwnerCutDenominator = 65_535;

    /// <summary>floor(3e-6 × 2^64): the base EMA rate before the warm-up factor b / (b + 201,600).</summary>
    public static readonly UInt128 EmaBaseAlphaQ64 = 55_340_232_221_128;
    public const ulong EmaWarmupBlocks = 201_600;

    public static bool IsEmitting(Subnet subnet, ulong height) => height >= subnet.FirstEmissionBlock;

    /// <summary>Each emitting subnet's TAO share of <paramref name="blockEmission"/> by EMA price (floor).</summary>
    public static SortedDictionary<ushort, ulong> TaoShares(LedgerState s, ulong height, ulong blockEmission)
    {
        UInt128 sum = 0;
        foreach (var sn in s.Subnets.Values)
        {
            if (IsEmitting(sn, height))
            {
                sum += sn.EmaPriceQ64;
            }
        }

        var shares = new SortedDictionary<ushort, ulong>();
        foreach (var sn in s.Subnets.Values)
        {
            if (IsEmitting(sn, height))
            {
                shares[sn.Netuid] = sum == 0 ? 0 : (ulong)Arith.MulDiv(blockEmission, sn.EmaPriceQ64, sum);
            }
        }

        return shares;
    }

    public static void Inject(LedgerState s, ulong height, ulong blockEmission)
    {
        foreach (var (netuid, share) in TaoShares(s, height, blockEmission))
        {
            var sn = s.Subnets[netuid];
            var alphaEmission = EconomicsBridge.BlockEmission(sn.AlphaIssuance);
            var taoIn = share;
            var alphaIn = Arith.MulDivU64(taoIn, sn.AlphaReserve, sn.TaoReserve);
            if (alphaIn > alphaEmission)
            {
                alphaIn = alphaEmission;
                taoIn = Arith.MulDivU64(alphaIn, sn.TaoReserve, sn.AlphaReserve);
            }

            var alphaOut = alphaEmission;
            var owner = Arith.MulDivU64(alphaOut, OwnerCutNumerator, OwnerCutDenominator);
            var server = (alphaOut - owner) / 2;
            var validator = alphaOut - owner - server;
            s.TotalIssuance = checked(s.TotalIssuance + taoIn);
            s.SetSubnet(sn with
            {
                TaoReserve = checked(sn.TaoReserve + taoIn),
                AlphaReserve = checked(sn.AlphaReserve + alphaIn),
                AlphaIssuance = checked(sn.AlphaIssuance + alphaIn + alphaOut),
                PendingOwner = checked(sn.PendingOwner + owner),
                PendingServer = checked(sn.PendingServer + server),
                PendingValidator = checked(sn.PendingValidator + validator),
            });
        }
    }

    /// <summary>p_ema ← α·min(spot, 1) + (1 − α)·p_ema, α = 3e-6 · b / (b + 201,600), b = blocks since first emission (Q64, floor).</summary>
    public static void UpdateMovingPrices(LedgerState s, ulong height)
    {
        foreach (var sn in s.Subnets.Values)
        {
            if (!IsEmitting(sn, height))
            {
                continue;
            }

            var b = height - sn.FirstEmissionBlock;
            var alpha = Arith.MulDiv(EmaBaseAlphaQ64, b, (UInt128)b + EmaWarmupBlocks);
            var spot = UInt128.Min(PoolMath.SpotPriceQ64(sn), PoolMath.OneQ64);
            var ema = Arith.MulDiv(alpha, spot, PoolMath.OneQ64) + Arith.MulDiv(PoolMath.OneQ64 - alpha, sn.EmaPriceQ64, PoolMath.OneQ64);
            s.SetSubnet(sn with { EmaPriceQ64 = ema });
        }
    }
}
