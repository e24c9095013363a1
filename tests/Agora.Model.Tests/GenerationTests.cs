using Agora.Model;

namespace Agora.Model.Tests;

public class GenerationTests
{
    [Fact]
    public void Greedy_generation_picks_the_argmax_of_the_last_position()
    {
        var model = TestModels.Perturbed(ModelConfig.Tiny, 1);
        int[] prompt = [1, 2, 3];
        var generated = TextGenerator.Generate(model, prompt, 3, new SamplingOptions(Temperature: 0));
        var context = prompt.ToList();
        foreach (int token in generated)
        {
            model.Forward(context.ToArray(), 1, context.Count);
            Assert.Equal(Sampler.ArgMax(model.Logits.Slice((context.Count - 1) * 512, 512)), token);
            context.Add(token);
        }
    }

    [Fact]
    public void Sampling_is_repeatable_for_a_seed_and_differs_across_seeds()
    {
        var model = TestModels.Perturbed(ModelConfig.Tiny, 1);
        var a = TextGenerator.Generate(model, [5], 12, new SamplingOptions(1.5f, 0, 7));
        var b = TextGenerator.Generate(model, [5], 12, new SamplingOptions(1.5f, 0, 7));
        var c = TextGenerator.Generate(model, [5], 12, new SamplingOptions(1.5f, 0, 8));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Top_k_restricts_samples_to_the_k_largest_logits()
    {
        float[] logits = [0f, 5f, 1f, 4.5f, -2f];
        var rng = new SplitMix64(1);
        var seen = Enumerable.Range(0, 400).Select(_ => Sampler.Sample(logits, 10f, 2, rng)).ToHashSet();
        Assert.Equal(new HashSet<int> { 1, 3 }, seen);
        Assert.Equal(1, Sampler.Sample(logits, 1f, 1, rng));
    }

    [Fact]
    public void Generation_beyond_the_context_window_crops_to_the_last_positions()
    {
        var model = TestModels.Perturbed(ModelConfig.Tiny with { MaxPositionEmbeddings = 8 }, 1);
        var generated = TextGenerator.Generate(model, Enumerable.Range(0, 10).ToArray(), 4, new SamplingOptions(Temperature: 0));
        Assert.Equal(4, generated.Count);
    }

    [Fact]
    public void Invalid_sampling_options_are_rejected()
    {
        var model = TestModels.Perturbed(ModelConfig.Tiny, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => TextGenerator.Generate(model, [1], 1, new SamplingOptions(-1f)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextGenerator.Generate(model, [1], 1, new SamplingOptions(1f, 513)));
        Assert.Throws<ArgumentException>(() => TextGenerator.Generate(model, [], 1, new SamplingOptions()));
    }
}
