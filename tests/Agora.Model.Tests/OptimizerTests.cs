using Agora.Model;

namespace Agora.Model.Tests;

public class OptimizerTests
{
    [Fact]
    public void AdamW_update_matches_the_pytorch_formula_in_double()
    {
        var layout = new ParameterLayout(ModelConfig.Tiny);
        var p = new FlatBuffer(layout);
        var g = new FlatBuffer(layout);
        var rng = new SplitMix64(1);
        for (int i = 0; i < p.Data.Length; i++)
        {
            p.Data[i] = (float)rng.NextNormal();
            g.Data[i] = (float)(1e-4 * rng.NextNormal());
        }

        var options = new AdamWOptions(ClipNorm: 0);
        var optimizer = new AdamWOptimizer(layout, options);
        var expected = p.Data.Select(x => (double)x).ToArray();
        var m = new double[expected.Length];
        var v = new double[expected.Length];
        const double lr = 1e-2;
        for (int step = 1; step <= 3; step++)
        {
            optimizer.Update(p, g, (float)lr);
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] -= lr * 0.1 * expected[i];
                m[i] = (0.9 * m[i]) + (0.1 * g.Data[i]);
                v[i] = (0.95 * v[i]) + (0.05 * g.Data[i] * g.Data[i]);
                double denom = (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.95, step))) + 1e-8;
                expected[i] -= lr / (1 - Math.Pow(0.9, step)) * m[i] / denom;
            }
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(p.Data[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"param {i}: {p.Data[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Norm_gains_keep_their_value_without_decay_when_decay_of_norms_is_off()
    {
        var layout = new ParameterLayout(ModelConfig.Tiny);
        var p = new FlatBuffer(layout);
        p.Data.AsSpan().Fill(1f);
        var g = new FlatBuffer(layout);
        new AdamWOptimizer(layout, new AdamWOptions(DecayNorms: false)).Update(p, g, 0.5f);
        Assert.All(p[layout.FinalNorm].ToArray(), x => Assert.Equal(1f, x));
        Assert.All(p[layout.Embedding].ToArray(), x => Assert.Equal(1f - (0.5f * 0.1f), x, 6));
    }

    [Fact]
    public void Gradients_are_clipped_to_the_global_norm_and_the_pre_clip_norm_is_returned()
    {
        var layout = new ParameterLayout(ModelConfig.Tiny);
        var g = new FlatBuffer(layout);
        g.Data.AsSpan().Fill(1f);
        double norm = new AdamWOptimizer(layout).Update(new FlatBuffer(layout), g, 0f);
        Assert.Equal(Math.Sqrt(layout.TotalLength), norm, 3);
        double after = Math.Sqrt(g.Data.Sum(x => (double)x * x));
        Assert.InRange(after, 0.999, 1.0);
    }

    [Fact]
    public void Schedule_warms_up_linearly_then_follows_a_cosine_to_the_floor()
    {
        var s = new LearningRateSchedule(1f, 10, 110);
        Assert.Equal(0.1f, s.At(0), 6);
        Assert.Equal(1f, s.At(9), 6);
        Assert.Equal(1f, s.At(10), 6);
        Assert.Equal(0.55f, s.At(60), 5);
        Assert.Equal(0.1f, s.At(110), 6);
        Assert.Equal(0.1f, s.At(500), 6);
        Assert.True(s.At(30) > s.At(31));
    }
}
