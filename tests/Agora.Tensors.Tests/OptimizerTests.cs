namespace Agora.Tensors.Tests;

public class OptimizerTests
{
    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void AdamW_matches_the_reference_over_a_sweep_of_sizes_and_steps(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int count in TestData.Sizes.Concat([0, 10_007]))
        {
            float[] p = TestData.Uniform(count, count), m = TestData.Uniform(count, 1, 0.1f), v = TestData.Uniform(count, 2, 0.01f).Select(Math.Abs).ToArray();
            float[] pRef = (float[])p.Clone(), mRef = (float[])m.Clone(), vRef = (float[])v.Clone();
            for (int step = 1; step <= 3; step++)
            {
                float[] g = TestData.Uniform(count, step + 10);
                AdamW.Step(p, g, m, v, 1e-2f, 0.9f, 0.95f, 1e-8f, 0.1f, step);
                Reference.AdamWStep(pRef, g, mRef, vRef, 1e-2f, 0.9f, 0.95f, 1e-8f, 0.1f, step);
            }

            TestData.Close(pRef, p, 1e-5, 1e-6, $"param count={count}");
            TestData.Close(mRef, m, 1e-5, 1e-7, $"m count={count}");
            TestData.Close(vRef, v, 1e-5, 1e-8, $"v count={count}");
        }
    }

    [Fact]
    public void AdamW_first_step_moves_each_parameter_by_about_lr_against_its_gradient_sign()
    {
        float[] p = [1f, -1f, 0f], g = [0.3f, -2f, 5f], m = new float[3], v = new float[3];
        AdamW.Step(p, g, m, v, 0.01f, 0.9f, 0.95f, 1e-8f, 0f, 1);
        Assert.Equal(0.99f, p[0], 1e-6f);
        Assert.Equal(-0.99f, p[1], 1e-6f);
        Assert.Equal(-0.01f, p[2], 1e-6f);
    }

    [Fact]
    public void AdamW_and_clipping_are_bit_identical_for_any_thread_count()
    {
        const int count = 100_003;
        float[]? first = null;
        foreach (int threads in TestData.ThreadCounts)
        {
            float[] p = TestData.Uniform(count, 1), g = TestData.Uniform(count, 2), m = TestData.Uniform(count, 3, 0.1f), v = TestData.Uniform(count, 4, 0.01f).Select(Math.Abs).ToArray();
            double norm = GradClip.ClipGlobalNorm(g, 1.0, threads);
            AdamW.Step(p, g, m, v, 3e-4f, 0.9f, 0.95f, 1e-8f, 0.1f, 7, threads);
            float[] all = [(float)norm, (float)(norm - (float)norm), .. p, .. g, .. m, .. v];
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

    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Clipping_matches_the_reference_and_leaves_small_gradients_alone(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int count in TestData.Sizes.Concat([5000, 70_001]))
        {
            float[] g = TestData.Uniform(count, count), gRef = (float[])g.Clone();
            double norm = GradClip.ClipGlobalNorm(g, 0.5);
            double normRef = Reference.ClipGlobalNorm(gRef, 0.5);
            Assert.Equal(normRef, norm, 1e-9 * normRef);
            TestData.Close(gRef, g, 1e-6, 0, $"clipped count={count}");
        }

        float[] small = [0.1f, -0.2f];
        double n = GradClip.ClipGlobalNorm(small, 1.0);
        Assert.Equal(Math.Sqrt(0.1f * 0.1f + 0.2f * 0.2f), n, 1e-7);
        Assert.Equal([0.1f, -0.2f], small);
    }

    [Fact]
    public void Bad_optimizer_arguments_throw_and_change_nothing()
    {
        float[] p = [1f, 2f], g = [1f, 1f], m = new float[2], v = new float[2];
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => AdamW.Step(p, g, m, v, 0.1f, 0.9f, 0.95f, 1e-8f, 0f, 0)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => AdamW.Step(p, g, m, v, 0.1f, 0.9f, 1f, 1e-8f, 0f, 1)).ParamName);
        Assert.Contains("m is too short", Assert.Throws<ArgumentException>(() => AdamW.Step(p, g, new float[1], v, 0.1f, 0.9f, 0.95f, 1e-8f, 0f, 1)).Message, StringComparison.Ordinal);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradClip.ClipGlobalNorm(g, -1)).ParamName);
        Assert.Equal([1f, 2f], p);
        Assert.Equal([1f, 1f], g);
    }
}
