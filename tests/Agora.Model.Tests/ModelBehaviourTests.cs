using Agora.Model;

namespace Agora.Model.Tests;

public class ModelBehaviourTests
{
    [Fact]
    public void Loss_and_every_gradient_are_bit_identical_for_any_thread_count()
    {
        var config = TestModels.TinyGqa;
        var tokens = TestModels.Tokens(3 * 17, config.VocabSize, 9);
        float[] Run(int threads, out float loss)
        {
            var model = TestModels.Perturbed(config, 8);
            model.Threads = threads;
            loss = model.ForwardBackward(tokens, 3, 16);
            return model.Gradients.Data.ToArray();
        }

        var g1 = Run(1, out float l1);
        var g3 = Run(3, out float l3);
        Assert.Equal(BitConverter.SingleToInt32Bits(l1), BitConverter.SingleToInt32Bits(l3));
        Assert.True(g1.AsSpan().SequenceEqual(g3), "gradients differ between 1 and 3 threads");
    }

    [Fact]
    public void Initialization_is_seeded_with_std_002_matrices_and_unit_norms()
    {
        var a = new LlamaModel(ModelConfig.Tiny);
        var b = new LlamaModel(ModelConfig.Tiny);
        var c = new LlamaModel(ModelConfig.Tiny);
        a.InitializeWeights(42);
        b.InitializeWeights(42);
        c.InitializeWeights(43);
        Assert.True(a.Parameters.Data.AsSpan().SequenceEqual(b.Parameters.Data));
        Assert.False(a.Parameters.Data.AsSpan().SequenceEqual(c.Parameters.Data));
        var embed = a.Parameters[a.Layout.Embedding].ToArray();
        double std = Math.Sqrt(embed.Select(x => (double)x * x).Average());
        Assert.InRange(std, 0.019, 0.021);
        Assert.All(a.Parameters[a.Layout.FinalNorm].ToArray(), x => Assert.Equal(1f, x));
    }

    [Fact]
    public void Fresh_model_loss_is_near_log_vocab()
    {
        var model = new LlamaModel(ModelConfig.Tiny);
        model.InitializeWeights(1);
        float loss = model.ForwardSequences(TestModels.Tokens(2 * 33, 512, 1), 2, 32);
        Assert.InRange(loss, Math.Log(512) - 0.1, Math.Log(512) + 0.1);
    }

    [Fact]
    public void Out_of_vocabulary_tokens_are_rejected_before_anything_runs()
    {
        var model = new LlamaModel(ModelConfig.Tiny);
        var tokens = TestModels.Tokens(9, 512, 1);
        tokens[5] = 512;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.ForwardSequences(tokens, 1, 8));
        Assert.Contains("outside the vocabulary", e.Message);
        Assert.Throws<InvalidOperationException>(() => model.Backward());
    }

    [Fact]
    public void Sequences_longer_than_the_context_are_rejected()
    {
        var model = new LlamaModel(ModelConfig.Tiny);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ForwardSequences(new int[66], 1, 65));
    }

    [Fact]
    public void Smaller_batches_after_larger_ones_reuse_buffers_and_give_the_same_loss_as_a_fresh_model()
    {
        var tokens = TestModels.Tokens(4 * 9, 512, 3);
        var reused = TestModels.Perturbed(ModelConfig.Tiny, 2);
        reused.ForwardSequences(TestModels.Tokens(4 * 17, 512, 4), 4, 16);
        float a = reused.ForwardSequences(tokens, 4, 8);
        float b = TestModels.Perturbed(ModelConfig.Tiny, 2).ForwardSequences(tokens, 4, 8);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Accumulated_half_batches_give_the_full_batch_gradient()
    {
        var tokens = TestModels.Tokens(4 * 9, 512, 5);
        var model = TestModels.Perturbed(ModelConfig.Tiny, 6);
        model.ForwardBackward(tokens, 4, 8);
        var full = model.Gradients.Data.ToArray();
        model.ZeroGrad();
        int half = 2 * 9;
        model.ForwardSequences(tokens.AsSpan(0, half), 2, 8);
        model.Backward(0.5f);
        model.ForwardSequences(tokens.AsSpan(half), 2, 8);
        model.Backward(0.5f);
        var accumulated = model.Gradients.Data;
        double scale = full.Max(Math.Abs);
        for (int i = 0; i < full.Length; i++)
        {
            Assert.True(Math.Abs(full[i] - accumulated[i]) <= 1e-5 * scale, $"gradient {i}: {full[i]} vs {accumulated[i]}");
        }
    }
}
