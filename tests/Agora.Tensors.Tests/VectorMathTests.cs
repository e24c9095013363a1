using System.Runtime.Intrinsics;

namespace Agora.Tensors.Tests;

public class VectorMathTests
{
    [Fact]
    public void Vector_and_scalar_exp_give_the_same_bits_and_stay_within_a_few_ulps_of_exp()
    {
        if (!VectorMath.UseVector256)
        {
            return;
        }

        var rng = new Random(1);
        var x = new float[8];
        for (int trial = 0; trial < 20_000; trial++)
        {
            for (int i = 0; i < 8; i++)
            {
                x[i] = (float)((rng.NextDouble() * 2 - 1) * (trial % 2 == 0 ? 90 : 5));
            }

            Vector256<float> y = VectorMath.Exp(Vector256.Create(x));
            for (int i = 0; i < 8; i++)
            {
                float scalar = VectorMath.Exp(x[i]);
                Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(y.GetElement(i)));
                double exact = Math.Exp(x[i]);
                if (x[i] > -87.3f && x[i] < 88.37f)
                {
                    Assert.True(Math.Abs(scalar - exact) <= 4e-7 * exact, $"exp({x[i]}) = {scalar}, expected {exact}");
                }
            }
        }
    }

    [Fact]
    public void Exp_saturates_instead_of_returning_nan_for_huge_or_infinite_inputs()
    {
        Assert.True(VectorMath.Exp(-1e30f) < 1e-37f);
        Assert.True(VectorMath.Exp(float.NegativeInfinity) < 1e-37f);
        Assert.True(VectorMath.Exp(1e30f) > 1e38f);
        Assert.Equal(1f, VectorMath.Exp(0f));
    }
}
