namespace Agora.Tensors.Tests;

/// <summary>Central-difference gradients of a scalar function computed entirely in double.</summary>
internal static class FiniteDifference
{
    public static double[] Gradient(double[] x, Func<double[], double> loss, double h = 1e-5)
    {
        var grad = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + h;
            double up = loss(x);
            x[i] = saved - h;
            double down = loss(x);
            x[i] = saved;
            grad[i] = (up - down) / (2 * h);
        }

        return grad;
    }

    public static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, string what, double rtol = 2e-3, double atol = 2e-5)
    {
        Assert.True(actual.Length >= expected.Length, $"{what}: gradient buffer too short");
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.Abs(expected[i])))
            {
                Assert.Fail($"{what}: gradient {i} is {actual[i]}, finite differences give {expected[i]} (diff {diff:E3}).");
            }
        }
    }

    /// <summary>Σ r ⊙ y, the scalar whose gradient with respect to y is r.</summary>
    public static double Project(double[] y, float[] r)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++)
        {
            s += y[i] * r[i];
        }

        return s;
    }
}
