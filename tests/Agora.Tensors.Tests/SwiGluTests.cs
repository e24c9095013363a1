namespace Agora.Tensors.Tests;

public class SwiGluTests
{
    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Forward_and_backward_match_the_reference_over_a_sweep_of_sizes(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int count in TestData.Sizes.Concat([0, 1000, 4099, 70_001]))
        {
            float[] g = TestData.Uniform(count, count, 12f), u = TestData.Uniform(count, count + 1), dout = TestData.Uniform(count, count + 2);
            float[] y = new float[count], yRef = new float[count];
            SwiGlu.Forward(g, u, y, count);
            Reference.SwiGluForward(g, u, yRef, count);
            TestData.Close(yRef, y, 1e-5, 1e-7, $"forward count={count}");
            float[] dg = new float[count], du = new float[count], dgRef = new float[count], duRef = new float[count];
            SwiGlu.Backward(dout, g, u, dg, du, count);
            Reference.SwiGluBackward(dout, g, u, dgRef, duRef, count);
            TestData.Close(dgRef, dg, 1e-5, 1e-6, $"dgate count={count}");
            TestData.Close(duRef, du, 1e-5, 1e-7, $"dup count={count}");
        }
    }

    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Results_are_bit_identical_for_any_thread_count(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int count in new[] { 13, 5003, 40_007 })
        {
            float[] g = TestData.Uniform(count, 1, 10f), u = TestData.Uniform(count, 2), dout = TestData.Uniform(count, 3);
            float[]? first = null;
            foreach (int threads in TestData.ThreadCounts)
            {
                float[] y = new float[count], dg = new float[count], du = new float[count];
                SwiGlu.Forward(g, u, y, count, threads);
                SwiGlu.Backward(dout, g, u, dg, du, count, threads);
                float[] all = [.. y, .. dg, .. du];
                if (first is null)
                {
                    first = all;
                }
                else
                {
                    TestData.Identical(first, all, $"count={count} threads={threads}");
                }
            }
        }
    }

    [Fact]
    public void Backward_matches_finite_differences()
    {
        const int count = 20;
        float[] g = TestData.Uniform(count, 4, 4f), u = TestData.Uniform(count, 5), r = TestData.Uniform(count, 6);
        float[] dg = new float[count], du = new float[count];
        SwiGlu.Backward(r, g, u, dg, du, count);
        double[] gd = FiniteDifference.ToDouble(g), ud = FiniteDifference.ToDouble(u);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(gd, gs => FiniteDifference.Project(DoubleForward.SwiGlu(gs, ud), r)), dg, "dgate");
        FiniteDifference.AssertClose(FiniteDifference.Gradient(ud, us => FiniteDifference.Project(DoubleForward.SwiGlu(gd, us), r)), du, "dup");
    }

    [Fact]
    public void Extreme_gates_saturate_without_nan()
    {
        float[] g = [-1000f, -90f, 90f, 1000f], u = [1, 1, 1, 1], y = new float[4], dg = new float[4], du = new float[4];
        SwiGlu.Forward(g, u, y, 4);
        SwiGlu.Backward(u, g, u, dg, du, 4);
        Assert.Equal([0f, 0f, 90f, 1000f], y.Select(v => MathF.Round(v, 3)).ToArray());
        Assert.All(dg, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Bad_arguments_throw_clear_exceptions()
    {
        float[] a = new float[4];
        Assert.Contains("output is too short", Assert.Throws<ArgumentException>(() => SwiGlu.Forward(a, a, new float[3], 4)).Message, StringComparison.Ordinal);
        Assert.Contains("dup is too short", Assert.Throws<ArgumentException>(() => SwiGlu.Backward(a, a, a, a, new float[3], 4)).Message, StringComparison.Ordinal);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => SwiGlu.Forward(a, a, a, -1)).ParamName);
    }
}
