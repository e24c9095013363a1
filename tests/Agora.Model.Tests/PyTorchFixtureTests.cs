using System.Text.Json;
using Agora.Data;
using Agora.Model;

namespace Agora.Model.Tests;

/// <summary>
/// Compares the model with the PyTorch 1.13 reference (tools/reference, fixtures in Fixtures/NAME, format in
/// tools/reference/README.md). Tolerances (float32 with a different summation order): logits and losses 1e-5 absolute;
/// each gradient element 1e-5 × its tensor's largest |grad|; grad norms 1e-5 relative; weights after 10 AdamW steps
/// 5e-5 absolute (Adam's normalised step turns a 1e-7 gradient difference on a near-zero gradient into ~1e-5).
/// </summary>
public class PyTorchFixtureTests
{
    public static TheoryData<string> Names => new() { "tiny", "gqa" };

    [Theory]
    [MemberData(nameof(Names))]
    public void Logits_and_loss_match_pytorch(string name)
    {
        var f = Fixture.Load(name);
        var (inputs, targets) = LlamaModel.SplitSequences(f.Tokens, f.Batch, f.SeqLen);
        float loss = f.Model.Forward(inputs, targets, f.Batch, f.SeqLen);
        Assert.True(Math.Abs(f.Loss - loss) <= 1e-5, $"loss {loss} vs PyTorch {f.Loss}");
        var expected = f.Expected["logits"];
        Assert.Equal([f.Batch, f.SeqLen, f.Model.Config.VocabSize], expected.Shape);
        AssertClose("logits", expected.Data, f.Model.Logits.ToArray(), absolute: 1e-5, relative: 0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_gradient_matches_pytorch(string name)
    {
        var f = Fixture.Load(name);
        f.Model.ForwardBackward(f.Tokens, f.Batch, f.SeqLen);
        foreach (var tensor in f.Model.Layout.Tensors)
        {
            var expected = f.Expected["grad." + tensor.Name];
            Assert.Equal(tensor.Shape, expected.Shape);
            double scale = expected.Data.Max(Math.Abs);
            AssertClose(tensor.Name, expected.Data, f.Model.Gradients[tensor].ToArray(), absolute: 1e-5 * scale, relative: 0);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Ten_adamw_steps_match_pytorch_losses_grad_norms_and_final_weights(string name)
    {
        var f = Fixture.Load(name);
        var adam = f.Json.GetProperty("adamw");
        var options = new AdamWOptions(
            (float)adam.GetProperty("beta1").GetDouble(), (float)adam.GetProperty("beta2").GetDouble(), (float)adam.GetProperty("eps").GetDouble(),
            (float)adam.GetProperty("weight_decay").GetDouble(), adam.GetProperty("clip_norm").GetDouble());
        float lr = (float)adam.GetProperty("lr").GetDouble();
        var losses = adam.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var norms = adam.GetProperty("grad_norms").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var optimizer = new AdamWOptimizer(f.Model.Layout, options);
        for (int step = 0; step < norms.Length; step++)
        {
            float loss = f.Model.ForwardBackward(f.Tokens, f.Batch, f.SeqLen);
            Assert.True(Math.Abs(loss - losses[step]) <= 1e-5, $"step {step}: loss {loss} vs {losses[step]}");
            double norm = optimizer.Update(f.Model.Parameters, f.Model.Gradients, lr);
            Assert.True(Math.Abs(norm - norms[step]) <= 1e-5 * norms[step], $"step {step}: grad norm {norm} vs {norms[step]}");
        }

        float final = f.Model.ForwardSequences(f.Tokens, f.Batch, f.SeqLen);
        Assert.True(Math.Abs(final - losses[^1]) <= 1e-5, $"final loss {final} vs {losses[^1]}");
        foreach (var tensor in f.Model.Layout.Tensors)
        {
            if (f.Expected.TryGetValue("after_adamw." + tensor.Name, out var after))
            {
                AssertClose("after_adamw." + tensor.Name, after.Data, f.Model.Parameters[tensor].ToArray(), absolute: 5e-5, relative: 0);
            }
        }
    }

    [Fact]
    public void Fixture_config_and_weights_load_through_the_checkpoint_reader()
    {
        var f = Fixture.Load("tiny");
        Assert.Equal(ModelConfig.Tiny, f.Model.Config);
    }

    private static void AssertClose(string what, float[] expected, float[] actual, double absolute, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= absolute + (relative * Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]:E6} vs PyTorch {expected[i]:E6}");
        }
    }

    private sealed record Fixture(LlamaModel Model, int[] Tokens, int Batch, int SeqLen, double Loss, Dictionary<string, SafeTensor> Expected, JsonElement Json)
    {
        public static Fixture Load(string name)
        {
            string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
            var model = Checkpoint.Load(dir);
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json"))).RootElement.Clone();
            Assert.Equal("agora.model-fixture", json.GetProperty("format").GetString());
            int batch = json.GetProperty("batch_size").GetInt32(), seqLen = json.GetProperty("seq_len").GetInt32();
            var tokens = TokenShard.Read(Path.Combine(dir, "tokens.bin"), model.Config.VocabSize);
            Assert.Equal(batch * (seqLen + 1), tokens.Length);
            var (tensors, _) = SafeTensorsFile.Read(Path.Combine(dir, "expected.safetensors"));
            return new Fixture(model, tokens, batch, seqLen, json.GetProperty("loss").GetDouble(), tensors.ToDictionary(t => t.Name), json);
        }
    }
}
