using Agora.Model;

namespace Agora.SparseLoCo.Experiments;

/// <summary>A peer of a local-update method: its own model copy and AdamW state (kept across rounds, as DiLoCo and
/// SparseLoCo workers do), trained for H steps from the global weights each round.</summary>
internal sealed class InnerPeer
{
    private readonly Trainer _trainer;

    public InnerPeer(ExperimentOptions options, ExperimentData data, uint uid)
    {
        Model = new LlamaModel(options.Config);
        Batches = new PeerBatches(data, uid, options.InnerSteps, options.BatchSize, options.Seed);
        _trainer = new Trainer(Model, Batches, MethodFactory.TrainerOptions(options, gradAccumulation: 1));
    }

    public LlamaModel Model { get; }

    public PeerBatches Batches { get; }

    /// <summary>θ_local ← θ, then H AdamW steps; returns the mean training loss. Δ = θ − θ_local is left in <paramref name="delta"/>.</summary>
    public double RunWindow(ReadOnlySpan<float> theta, int innerSteps, Span<float> delta)
    {
        theta.CopyTo(Model.Parameters.Data);
        double loss = 0;
        for (var s = 0; s < innerSteps; s++)
        {
            loss += _trainer.TrainStep().Loss;
        }

        var local = Model.Parameters.Data;
        for (var i = 0; i < delta.Length; i++)
        {
            delta[i] = theta[i] - local[i];
        }

        return loss / innerSteps;
    }
}
