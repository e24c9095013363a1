using Agora.Model;

namespace Agora.Gauntlet.Scoring;

/// <summary>Loss evaluation with the LLaMA-style model; one model instance (and its activations) is reused for every call.</summary>
public sealed class ModelLossEvaluator : ILossEvaluator
{
    private readonly LlamaModel _model;
    private readonly int _batchSize;

    public ModelLossEvaluator(ModelConfig config, int batchSize = 8, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _model = new LlamaModel(config) { Threads = threads };
        _batchSize = batchSize;
    }

    public Span<float> Parameters => _model.Parameters.Data;

    public double Loss(int[] tokens) =>
        SequenceLoss.Evaluate(_model, tokens, _model.Config.MaxPositionEmbeddings, _batchSize, withGradients: false).Loss;
}
