using Agora.Model;

namespace Agora.Model.Tests;

public class GradientCheckTests
{
    private const int Batch = 2;
    private const int SeqLen = 6;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float_forward_matches_the_double_reference_loss_and_logits(bool gqa)
    {
        var config = gqa ? TestModels.TinyGqa : ModelConfig.Tiny;
        var model = TestModels.Perturbed(config, 1);
        var tokens = TestModels.Tokens(Batch * (SeqLen + 1), config.VocabSize, 2);
        var (inputs, targets) = LlamaModel.SplitSequences(tokens, Batch, SeqLen);

        float loss = model.Forward(inputs, targets, Batch, SeqLen);
        var reference = new DoubleReferenceModel(config);
        var p = model.Parameters.Data.Select(x => (double)x).ToArray();
        double expected = reference.Loss(p, inputs, targets, Batch, SeqLen);
        var logits = reference.Logits(p, inputs, Batch, SeqLen);

        Assert.InRange(Math.Abs(loss - expected), 0, 1e-4 * Math.Abs(expected));
        var actual = model.Logits.ToArray();
        double scale = logits.Max(Math.Abs);
        for (int i = 0; i < logits.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - logits[i]) <= 1e-4 * scale, $"logit {i}: {actual[i]} vs {logits[i]}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_tensor_gradient_matches_central_differences_of_the_double_reference(bool gqa)
    {
        var config = gqa ? TestModels.TinyGqa : ModelConfig.Tiny;
        var model = TestModels.Perturbed(config, 3);
        var tokens = TestModels.Tokens(Batch * (SeqLen + 1), config.VocabSize, 4);
        var (inputs, targets) = LlamaModel.SplitSequences(tokens, Batch, SeqLen);
        model.ZeroGrad();
        model.Forward(inputs, targets, Batch, SeqLen);
        model.Backward();

        var reference = new DoubleReferenceModel(config);
        var p = model.Parameters.Data.Select(x => (double)x).ToArray();
        var rng = new SplitMix64(5);
        const double h = 1e-4;
        foreach (var tensor in model.Layout.Tensors)
        {
            var grad = model.Gradients[tensor].ToArray();
            double gradScale = grad.Max(Math.Abs);
            Assert.True(gradScale > 0, $"{tensor.Name} got no gradient at all");
            var picks = new List<int> { Array.IndexOf(grad, grad.MaxBy(Math.Abs)) };
            if (tensor == model.Layout.Embedding)
            {
                picks.Add((inputs[0] * config.HiddenSize) + 3); // a row that the input lookup touches, not only the head
            }

            for (int i = 0; i < 3; i++)
            {
                picks.Add((int)(rng.NextUInt64() % (ulong)tensor.Length));
            }

            foreach (int index in picks)
            {
                int at = tensor.Offset + index;
                double saved = p[at];
                p[at] = saved + h;
                double plus = reference.Loss(p, inputs, targets, Batch, SeqLen);
                p[at] = saved - h;
                double minus = reference.Loss(p, inputs, targets, Batch, SeqLen);
                p[at] = saved;
                double numeric = (plus - minus) / (2 * h);
                double tolerance = (2e-3 * gradScale) + 1e-6;
                Assert.True(Math.Abs(grad[index] - numeric) <= tolerance, $"{tensor.Name}[{index}]: analytic {grad[index]:E4}, numeric {numeric:E4} (scale {gradScale:E3})");
            }
        }
    }
}
