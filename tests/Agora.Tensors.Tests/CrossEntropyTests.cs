namespace Agora.Tensors.Tests;

public class CrossEntropyTests
{
    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Forward_and_backward_match_the_reference_over_a_sweep_of_sizes(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int v in TestData.Sizes.Concat([4096, 4099]))
        {
            foreach (int n in new[] { 1, 3, 17 })
            {
                float[] logits = TestData.Uniform(n * v, v + n, 8f);
                int[] targets = TestData.Tokens(n, v, v);
                float[] p = new float[n * v], pRef = new float[n * v];
                float loss = CrossEntropy.Forward(logits, targets, p, n, v);
                float lossRef = Reference.CrossEntropyForward(logits, targets, pRef, n, v);
                Assert.Equal(lossRef, loss, 1e-4f * Math.Max(1f, lossRef));
                TestData.Close(pRef, p, 1e-5, 1e-8, $"probs n={n} v={v}");
                float[] d = new float[n * v], dRef = new float[n * v];
                CrossEntropy.Backward(p, targets, d, n, v, 1f / n);
                Reference.CrossEntropyBackward(p, targets, dRef, n, v, 1f / n);
                TestData.Close(dRef, d, 1e-6, 1e-9, $"dlogits n={n} v={v}");
            }
        }
    }

    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Results_are_bit_identical_for_any_thread_count(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        const int n = 23, v = 517;
        float[] logits = TestData.Uniform(n * v, 1, 5f);
        int[] targets = TestData.Tokens(n, v, 2);
        float[]? first = null;
        foreach (int threads in TestData.ThreadCounts)
        {
            float[] p = new float[n * v], d = new float[n * v];
            float loss = CrossEntropy.Forward(logits, targets, p, n, v, threads);
            CrossEntropy.Backward(p, targets, d, n, v, 0.5f, threads);
            float[] all = [loss, .. p, .. d];
            if (first is null)
            {
                first = all;
            }
            else
            {
                TestData.Identical(first, all, $"threads={threads}");
            }
        }
    }

    [Fact]
    public void Backward_with_scale_one_over_n_matches_finite_differences_of_the_mean_loss()
    {
        const int n = 4, v = 9;
        float[] logits = TestData.Uniform(n * v, 5, 3f);
        int[] targets = TestData.Tokens(n, v, 6);
        float[] p = new float[n * v], d = new float[n * v];
        CrossEntropy.Forward(logits, targets, p, n, v);
        CrossEntropy.Backward(p, targets, d, n, v, 1f / n);
        double[] g = FiniteDifference.Gradient(FiniteDifference.ToDouble(logits), x => DoubleForward.CrossEntropy(x, targets, n, v));
        FiniteDifference.AssertClose(g, d, "dlogits");
    }

    [Fact]
    public void Huge_logits_do_not_overflow()
    {
        float[] logits = [1e30f, 0f, -1e30f, 5f, 5f, 5f];
        float[] p = new float[6];
        float loss = CrossEntropy.Forward(logits, [1, 2], p, 2, 3);
        Assert.True(float.IsFinite(loss));
        Assert.Equal((1e30 + Math.Log(3)) / 2, loss, 1e24);
        Assert.Equal(1f, p[0]);
    }

    [Fact]
    public void Bad_arguments_throw_clear_exceptions()
    {
        float[] logits = new float[6], p = new float[6];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Forward(logits, [0, 3], p, 2, 3));
        Assert.Contains("targets[1] = 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("targets is too short", Assert.Throws<ArgumentException>(() => CrossEntropy.Forward(logits, [0], p, 2, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("dlogits is too short", Assert.Throws<ArgumentException>(() => CrossEntropy.Backward(p, [0, 1], new float[5], 2, 3, 1f)).Message, StringComparison.Ordinal);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Backward(p, [0, 1], p, 2, 3, float.NaN)).ParamName);
    }
}
