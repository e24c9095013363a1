namespace Agora.Tensors.Tests;

public class RopeTests
{
    private const float Theta = 10_000f;

    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Forward_and_backward_match_the_reference_over_a_sweep_of_sizes(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int t in TestData.Sizes)
        {
            foreach (int d in new[] { 2, 8, 18, 32, 64, 66, 130 })
            {
                int b = t > 64 ? 1 : 2, h = 3;
                float[] x = TestData.Uniform(b * t * h * d, t * 31 + d);
                float[] fast = (float[])x.Clone(), slow = (float[])x.Clone();
                Rope.Forward(fast, b, t, h, d, Theta);
                Reference.RopeForward(slow, b, t, h, d, Theta);
                TestData.Close(slow, fast, 1e-5, 1e-6, $"forward t={t} d={d}");
                Rope.Backward(fast, b, t, h, d, Theta);
                Reference.RopeBackward(slow, b, t, h, d, Theta);
                TestData.Close(slow, fast, 1e-5, 1e-6, $"backward t={t} d={d}");
                TestData.Close(x, fast, 1e-5, 1e-6, $"backward undoes forward t={t} d={d}");
            }
        }
    }

    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Results_are_bit_identical_for_any_thread_count(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        const int b = 3, t = 29, h = 5, d = 34;
        float[] x = TestData.Uniform(b * t * h * d, 1);
        float[]? first = null;
        foreach (int threads in TestData.ThreadCounts)
        {
            float[] y = (float[])x.Clone();
            Rope.Forward(y, b, t, h, d, Theta, threads);
            float[] back = (float[])y.Clone();
            Rope.Backward(back, b, t, h, d, Theta, threads);
            float[] both = [.. y, .. back];
            if (first is null)
            {
                first = both;
            }
            else
            {
                TestData.Identical(first, both, $"threads={threads}");
            }
        }
    }

    [Fact]
    public void Backward_matches_finite_differences()
    {
        const int b = 2, t = 4, h = 2, d = 6;
        float[] x = TestData.Uniform(b * t * h * d, 3), r = TestData.Uniform(b * t * h * d, 4);
        float[] dx = (float[])r.Clone();
        Rope.Backward(dx, b, t, h, d, Theta);
        double[] g = FiniteDifference.Gradient(FiniteDifference.ToDouble(x), xs => FiniteDifference.Project(DoubleForward.Rope(xs, b, t, h, d, Theta), r));
        FiniteDifference.AssertClose(g, dx, "dx");
    }

    [Fact]
    public void Position_zero_is_left_unrotated_and_later_positions_are_rotated()
    {
        float[] x = TestData.Uniform(2 * 4, 5);
        float[] y = (float[])x.Clone();
        Rope.Forward(y, 1, 2, 1, 4, Theta);
        TestData.Identical(x.AsSpan(0, 4), y.AsSpan(0, 4), "position 0");
        Assert.NotEqual(x[4], y[4]);
    }

    [Fact]
    public void A_caller_held_table_gives_the_same_bits_as_theta_and_must_cover_the_call()
    {
        const int b = 2, t = 9, h = 3, d = 16;
        float[] x = TestData.Uniform(b * t * h * d, 7);
        float[] viaTheta = (float[])x.Clone(), viaTable = (float[])x.Clone();
        RopeTable table = RopeTable.Get(t + 5, d, Theta);
        Rope.Forward(viaTheta, b, t, h, d, Theta);
        Rope.Forward(viaTable, b, t, h, d, table);
        TestData.Identical(viaTheta, viaTable, "forward");
        Rope.Backward(viaTheta, b, t, h, d, Theta, threads: 3);
        Rope.Backward(viaTable, b, t, h, d, table, threads: 2);
        TestData.Identical(viaTheta, viaTable, "backward");
        Assert.Contains("covers d=16", Assert.Throws<ArgumentException>(() => Rope.Forward(x, 1, 17, h, d, table)).Message, StringComparison.Ordinal);
        Assert.Contains("needs d=8", Assert.Throws<ArgumentException>(() => Rope.Forward(x, 1, 2, h, 8, table)).Message, StringComparison.Ordinal);
        Assert.Equal(table.T * d / 2, table.Cos.Length);
        Assert.Equal(1f, table.Cos.Span[0]);
        Assert.Equal(0f, table.Sin.Span[0]);
    }

    [Fact]
    public void Bad_arguments_throw_clear_exceptions()
    {
        float[] x = new float[2 * 3 * 4];
        Assert.Contains("must be even", Assert.Throws<ArgumentOutOfRangeException>(() => Rope.Forward(x, 1, 2, 4, 3, Theta)).Message, StringComparison.Ordinal);
        Assert.Contains("x is too short", Assert.Throws<ArgumentException>(() => Rope.Forward(x, 1, 3, 3, 4, Theta)).Message, StringComparison.Ordinal);
        Assert.Equal("theta", Assert.Throws<ArgumentOutOfRangeException>(() => Rope.Backward(x, 1, 2, 3, 4, 0.5f)).ParamName);
        Assert.Equal("t", Assert.Throws<ArgumentOutOfRangeException>(() => Rope.Backward(x, 1, -2, 3, 4, Theta)).ParamName);
    }
}
