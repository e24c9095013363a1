using System.Diagnostics;

namespace Agora.Model;

/// <summary>
/// Runs optimizer steps over an <see cref="IBatchSource"/>. Step s (0-based) uses micro-batches s·k … s·k+k−1 of the
/// source (k = gradient accumulation), so saving after any step and resuming continues bit-identically.
/// </summary>
public sealed class Trainer
{
    private readonly IBatchSource _data;

    public Trainer(LlamaModel model, IBatchSource data, TrainerOptions options)
    {
        options.Validate();
        if (data.SeqLen > model.Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"Sequence length {data.SeqLen} exceeds the model's max_position_embeddings {model.Config.MaxPositionEmbeddings}.", nameof(data));
        }

        Model = model;
        Options = options;
        _data = data;
        Optimizer = new AdamWOptimizer(model.Layout, options.Adam);
        model.Threads = options.Threads;
    }

    public LlamaModel Model { get; }

    public TrainerOptions Options { get; }

    public AdamWOptimizer Optimizer { get; }

    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; private set; }

    /// <summary>Sets the completed-step counter, for a caller that restores the optimizer state itself (e.g. a miner resuming
    /// its saved moments): the next step then uses the same schedule learning rate and batches as it would have.</summary>
    public void RestoreStep(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        Step = step;
    }

    /// <summary>SparseLoCo window recorded in checkpoints.</summary>
    public long Window { get; set; }

    public TrainStepResult TrainStep()
    {
        var watch = Stopwatch.StartNew();
        int k = Options.GradAccumulation;
        int b = _data.BatchSize, t = _data.SeqLen;
        Model.ZeroGrad();
        double lossSum = 0;
        for (int micro = 0; micro < k; micro++)
        {
            var tokens = _data.Batch((Step * k) + micro);
            lossSum += Model.ForwardSequences(tokens, b, t);
            Model.Backward(1f / k);
        }

        float lr = Options.Schedule.At(checked((int)Step));
        double norm = Optimizer.Update(Model.Parameters, Model.Gradients, lr, Options.Threads);
        Step++;
        return new TrainStepResult(Step, (float)(lossSum / k), norm, lr, (long)k * b * t, watch.Elapsed);
    }

    /// <summary>Writes the weights, config and optimizer state (step and window included) to <paramref name="directory"/>.</summary>
    public void Save(string directory) => Checkpoint.Save(directory, Model, Optimizer, new TrainingProgress(Step, Window));

    /// <summary>Restores the optimizer state and step counters saved by <see cref="Save"/> (the weights must be loaded into the model already).</summary>
    public void RestoreState(string directory)
    {
        var progress = Checkpoint.LoadTrainerState(directory, Model.Config, Optimizer);
        Step = progress.Step;
        Window = progress.Window;
    }
}
