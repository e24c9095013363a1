using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>Yuma 3's per-entry bond EMA alpha: a sigmoid of how far a validator's weight sits above consensus
/// (when buying) or below its bond (when selling), mapped into [alpha_low, alpha_high].</summary>
public sealed class LiquidAlpha
{
    private static readonly I32F32 Half = I32F32.FromBits(1L << 31);
    private readonly I32F32 low;
    private readonly I32F32 high;
    private readonly I32F32 span;
    private readonly I32F32 slope;

    // With full bonds penalty every bond weight sits at or below consensus, so most entries have x = 0.
    private readonly I32F32 atZero;

    public LiquidAlpha(ushort alphaLow, ushort alphaHigh, short steepness)
    {
        low = I32F32.FromU16Proportion(alphaLow);
        high = I32F32.FromU16Proportion(alphaHigh);
        span = I32F32.SaturatingSub(high, low);
        slope = I32F32.SaturatingDiv(I32F32.FromInt(steepness), I32F32.FromInt(-100));
        atZero = Compute(I32F32.Zero);
    }

    /// <summary>alpha_sigmoid(consensus, weight, bond).</summary>
    public I32F32 Alpha(I32F32 consensus, I32F32 weight, I32F32 bond)
    {
        var x = weight >= bond
            ? I32F32.Clamp(I32F32.SaturatingSub(weight, consensus), I32F32.Zero, I32F32.One)
            : I32F32.Clamp(I32F32.SaturatingSub(bond, weight), I32F32.Zero, I32F32.One);
        return AlphaOf(x);
    }

    /// <summary>The alpha for a clamped offset x in [0, 1].</summary>
    public I32F32 AlphaOf(I32F32 x) => x.IsZero ? atZero : Compute(x);

    private I32F32 Compute(I32F32 x)
    {
        var t = I32F32.SaturatingMul(slope, I32F32.SaturatingSub(x, Half));
        var sigmoid = I32F32.SaturatingDiv(I32F32.One, I32F32.SaturatingAdd(I32F32.One, FixedMath.ExpSafe(t)));
        return I32F32.Clamp(I32F32.SaturatingAdd(low, I32F32.SaturatingMul(sigmoid, span)), low, high);
    }
}
