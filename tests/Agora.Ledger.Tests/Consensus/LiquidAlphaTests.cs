using Agora.Core.FixedPoint;
using Agora.Ledger.Consensus;

namespace Agora.Ledger.Tests.Consensus;

public class LiquidAlphaTests
{
    private static readonly LiquidAlpha Default = new(45875, 58982, 1000);

    private static double Real(double x, double lo, double hi, double steepness) =>
        lo + (hi - lo) / (1 + Math.Exp(-steepness / 100 * (x - 0.5)));

    [Fact]
    public void Alpha_follows_the_real_sigmoid_between_the_bounds()
    {
        for (var k = 0; k <= 64; k++)
        {
            var x = I32F32.FromBits((long)k << 26);  // k / 64
            var got = FixedLiteral.ToDouble(Default.AlphaOf(x));
            var want = Real(k / 64.0, 45875 / 65535.0, 58982 / 65535.0, 1000);
            Assert.True(Math.Abs(got - want) < 1e-6, $"x = {k}/64: got {got}, want {want}");
        }
    }

    [Fact]
    public void Alpha_at_the_midpoint_is_halfway_between_the_bounds()
    {
        var lo = I32F32.FromU16Proportion(45875);
        var hi = I32F32.FromU16Proportion(58982);
        var expected = I32F32.SaturatingAdd(lo, I32F32.SaturatingMul(I32F32.FromBits(1L << 31), hi - lo));
        Assert.Equal(expected, Default.AlphaOf(I32F32.FromBits(1L << 31)));
    }

    [Fact]
    public void Alpha_never_decreases_with_the_offset_and_stays_within_the_bounds()
    {
        var lo = I32F32.FromU16Proportion(45875);
        var hi = I32F32.FromU16Proportion(58982);
        var previous = I32F32.MinValue;
        for (var k = 0; k <= 1000; k++)
        {
            var alpha = Default.AlphaOf(I32F32.FromBits((long)k * (1L << 32) / 1000));
            Assert.True(alpha >= lo && alpha <= hi, $"alpha {alpha} outside [{lo}, {hi}]");
            Assert.True(alpha >= previous);
            previous = alpha;
        }
    }

    [Fact]
    public void A_weight_equal_to_the_bond_counts_as_buying_above_consensus()
    {
        var c = I32F32.FromBits(1L << 30);  // 0.25
        var w = I32F32.FromBits(3L << 30);  // 0.75
        Assert.Equal(Default.AlphaOf(w - c), Default.Alpha(c, w, w));
        Assert.NotEqual(Default.AlphaOf(I32F32.Zero), Default.Alpha(c, w, w));
    }

    [Fact]
    public void A_weight_below_the_bond_uses_the_selling_offset()
    {
        var c = I32F32.FromBits(1L << 30);
        var w = I32F32.FromBits(1L << 29);
        var b = I32F32.FromBits(7L << 29);
        Assert.Equal(Default.AlphaOf(b - w), Default.Alpha(c, w, b));
    }
}
