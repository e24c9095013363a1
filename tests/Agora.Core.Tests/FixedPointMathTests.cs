using Agora.Core.FixedPoint;

namespace Agora.Core.Tests;

public class FixedPointMathTests
{
    [Fact]
    public void Exp_of_zero_and_one_are_the_substrate_fixed_constants()
    {
        Assert.Equal(I32F32.One, FixedMath.Exp(I32F32.Zero));
        Assert.Equal(22802600L << 9, FixedMath.Exp(I32F32.One)!.Value.Bits);
    }

    [Fact]
    public void Exp_tracks_the_real_exponential_for_moderate_arguments()
    {
        for (var i = -400; i <= 400; i += 7)
        {
            var x = I32F32.FromBits((long)i << 32 >> 6);  // i / 64, i.e. [-6.25, 6.25]
            var got = FixedLiteral.ToDouble(FixedMath.Exp(x)!.Value);
            var want = Math.Exp(i / 64.0);
            Assert.True(Math.Abs(got - want) <= 1e-6 * Math.Max(1, want), $"exp({i}/64) = {got}, want {want}");
        }
    }

    [Fact]
    public void Exp_of_a_negative_argument_is_the_truncated_reciprocal_of_the_positive_one()
    {
        var x = I32F32.FromBits(3L << 31);
        var positive = FixedMath.Exp(x)!.Value;
        Assert.Equal(I32F32.CheckedDiv(I32F32.One, positive), FixedMath.Exp(-x));
    }

    [Fact]
    public void Exp_of_20_is_the_31_term_taylor_value_not_e_to_the_20()
    {
        var value = FixedLiteral.ToDouble(FixedMath.Exp(I32F32.FromInt(20))!.Value);
        Assert.InRange(value, 4.80e8, 4.82e8);
    }

    [Fact]
    public void Exp_safe_clamps_its_argument_and_never_fails()
    {
        Assert.Equal(FixedMath.Exp(I32F32.FromInt(20)), FixedMath.ExpSafe(I32F32.FromInt(1000)));
        Assert.Equal(FixedMath.Exp(I32F32.FromInt(-20)), FixedMath.ExpSafe(I32F32.FromInt(-1000)));
        Assert.Equal(FixedMath.ExpSafe(I32F32.MaxValue), FixedMath.ExpSafe(I32F32.FromInt(20)));
        Assert.Null(FixedMath.Exp(I32F32.FromInt(30)));
    }

    [Fact]
    public void Log2_is_exact_on_powers_of_two_and_close_elsewhere()
    {
        for (var k = 0; k < 90; k++)
        {
            Assert.Equal((Int128)k << 32, FixedMath.Log2(I96F32.FromBits((Int128)1 << (k + 32))).Bits);
        }

        var log3 = (double)FixedMath.Log2(I96F32.FromInt(3)).Bits / 4294967296.0;
        Assert.InRange(log3, Math.Log2(3) - 1e-8, Math.Log2(3) + 1e-8);
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedMath.Log2(I96F32.FromBits(1)));
    }
}
