using Agora.Core.FixedPoint;
using Agora.Ledger.Economics;

namespace Agora.Ledger.Execution;

/// <summary>
/// The narrow set of economic rules the state machine needs, delegated to Agora.Ledger.Economics: block
/// emission for an issuance (halvings), registration burn decay and bump, and the equal-weight balancer swap
/// with its fee. Every call site in the state machine goes through here so the parameters have one home.
/// </summary>
internal static class EconomicsBridge
{
    public const ulong MaxSupply = 21_000_000_000_000_000;

    /// <summary>×1.26 as U64F64 raw bits (vectors TV-6 "defaults").</summary>
    public static readonly U64F64 BurnIncreaseMult = U64F64.FromBits(UInt128.Parse("23242897532874035200", System.Globalization.CultureInfo.InvariantCulture));

    public const ushort BurnHalfLife = 360;

    public const ushort SwapFeeRate = BalancerSwap.DefaultFeeRate;

    /// <summary>Equal TAO and alpha weights: the constant-product pool.</summary>
    public const ulong QuoteWeightPerquintill = BalancerSwap.Perquintill / 2;

    private static readonly ulong DecayFactor = RegistrationBurn.DecayFactorQ32(BurnHalfLife);

    public static ulong BlockEmission(ulong issuance) => Economics.BlockEmission.ForIssuance(issuance);

    public static ulong DecayBurn(ulong burn, ulong newBlock, ulong minBurn, ulong maxBurn) =>
        RegistrationBurn.OnBlockWithFactor(burn, newBlock, DecayFactor, BurnHalfLife, minBurn, maxBurn);

    public static ulong BumpBurn(ulong burn, ulong minBurn, ulong maxBurn) =>
        RegistrationBurn.OnRegistration(burn, BurnIncreaseMult, minBurn, maxBurn);

    public static ulong SwapFee(ulong amount) => BalancerSwap.Fee(amount, SwapFeeRate);

    /// <summary>Alpha out for <paramref name="netTao"/> in (no fee).</summary>
    public static ulong BuyAlpha(ulong taoReserve, ulong alphaReserve, ulong netTao) =>
        BalancerSwap.ConvertDelta(SwapOrder.Buy, netTao, taoReserve, alphaReserve, QuoteWeightPerquintill);

    /// <summary>TAO out for <paramref name="alpha"/> in (no fee).</summary>
    public static ulong SellAlpha(ulong taoReserve, ulong alphaReserve, ulong alpha) =>
        BalancerSwap.ConvertDelta(SwapOrder.Sell, alpha, taoReserve, alphaReserve, QuoteWeightPerquintill);
}
