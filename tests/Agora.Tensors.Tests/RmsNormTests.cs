namespace Agora.Tensors.Tests;

public class RmsNormTests
{
    private const float Eps = 1e-5f;

    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Forward_and_backward_match_the_reference_over_a_sweep_of_sizes(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int n in new[] { 1, 3, 17 })
        {
            foreach (int c in TestData.Sizes)
            {
                float[] x = TestData.Uniform(n * c, n + c, 3f);
                float[] w = TestData.Uniform(c, 7);
                float[] dy = TestData.Uniform(n * c, 8);
                float[] y = new float[n * c], rstd = new float[n];
                float[] yRef = new float[n * c], rstdRef = new float[n];
                RmsNorm.Forward(x, w, y, rstd, n, c, Eps);
                Reference.RmsNormForward(x, w, yRef, rstdRef, n, c, Eps);
                TestData.Close(yRef, y, 1e-5, 1e-6, $"y n={n} c={c}");
                TestData.Close(rstdRef, rstd, 1e-5, 0, $"rstd n={n} c={c}");

                float[] dx = TestData.Uniform(n * c, 9), dw = TestData.Uniform(c, 10);
                float[] dxRef = (float[])dx.Clone(), dwRef = (float[])dw.Clone();
                RmsNorm.Backward(dy, x, w, rstd, dx, dw, n, c);
                Reference.RmsNormBackward(dy, x, w, rstdRef, dxRef, dwRef, n, c);
                TestData.Close(dxRef, dx, 1e-4, 1e-5, $"dx n={n} c={c}");
                TestData.Close(dwRef, dw, 1e-4, 1e-5, $"dweight n={n} c={c}");
            }
        }
    }

    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Results_are_bit_identical_for_any_thread_count(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        const int n = 37, c = 131;
        float[] x = TestData.Uniform(n * c, 1), w = TestData.Uniform(c, 2), dy = TestData.Uniform(n * c, 3);
        float[]? y0 = null, dx0 = null, dw0 = null;
        foreach (int threads in TestData.ThreadCounts)
        {
            float[] y = new float[n * c], rstd = new float[n], dx = TestData.Uniform(n * c, 4), dw = TestData.Uniform(c, 5);
            RmsNorm.Forward(x, w, y, rstd, n, c, Eps, threads);
            RmsNorm.Backward(dy, x, w, rstd, dx, dw, n, c, threads);
            if (y0 is null)
            {
                (y0, dx0, dw0) = (y, dx, dw);
                continue;
            }

            TestData.Identical(y0, y, $"y threads={threads}");
            TestData.Identical(dx0!, dx, $"dx threads={threads}");
            TestData.Identical(dw0!, dw, $"dweight threads={threads}");
        }
    }

    [Fact]
    public void Backward_matches_finite_differences_and_accumulates()
    {
        const int n = 3, c = 10;
        float[] x = TestData.Uniform(n * c, 21, 2f), w = TestData.Uniform(c, 22), r = TestData.Uniform(n * c, 23);
        float[] y = new float[n * c], rstd = new float[n];
        RmsNorm.Forward(x, w, y, rstd, n, c, Eps);
        float[] dx = TestData.Uniform(n * c, 24), dw = TestData.Uniform(c, 25);
        float[] dx0 = (float[])dx.Clone(), dw0 = (float[])dw.Clone();
        RmsNorm.Backward(r, x, w, rstd, dx, dw, n, c);

        double[] xd = FiniteDifference.ToDouble(x), wd = FiniteDifference.ToDouble(w);
        double[] gx = FiniteDifference.Gradient(xd, xs => FiniteDifference.Project(DoubleForward.RmsNorm(xs, wd, n, c, Eps), r));
        double[] gw = FiniteDifference.Gradient(wd, ws => FiniteDifference.Project(DoubleForward.RmsNorm(xd, ws, n, c, Eps), r));
        FiniteDifference.AssertClose(gx, Subtract(dx, dx0), "dx");
        FiniteDifference.AssertClose(gw, Subtract(dw, dw0), "dweight");
    }

    [Fact]
    public void Bad_arguments_throw_clear_exceptions()
    {
        float[] x = new float[6], w = new float[3], y = new float[6], rstd = new float[2];
        Assert.Contains("rstd is too short", Assert.Throws<ArgumentException>(() => RmsNorm.Forward(x, w, y, rstd.AsSpan(0, 1), 2, 3, Eps)).Message, StringComparison.Ordinal);
        Assert.Contains("weight is too short", Assert.Throws<ArgumentException>(() => RmsNorm.Forward(x, w.AsSpan(0, 2), y, rstd, 2, 3, Eps)).Message, StringComparison.Ordinal);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => RmsNorm.Forward(x, w, y, rstd, -2, 3, Eps)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentOutOfRangeException>(() => RmsNorm.Forward(x, w, y, rstd, 2, 0, Eps)).ParamName);
        Assert.Equal("eps", Assert.Throws<ArgumentOutOfRangeException>(() => RmsNorm.Forward(x, w, y, rstd, 2, 3, float.NaN)).ParamName);
        Assert.Contains("dx is too short", Assert.Throws<ArgumentException>(() => RmsNorm.Backward(x, x, w, rstd, new float[5], w, 2, 3)).Message, StringComparison.Ordinal);
    }

    private static float[] Subtract(float[] a, float[] b)
    {
        var d = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            d[i] = a[i] - b[i];
        }

        return d;
    }
}
