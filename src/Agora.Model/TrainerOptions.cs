namespace Agora.Model;

/// <summary>
/// Inner-loop settings. Each step averages the gradient over <see cref="GradAccumulation"/> micro-batches of
/// <see cref="IBatchSource.BatchSize"/> sequences, clips, and takes one AdamW step with the scheduled learning rate.
/// </summary>
public sealed record TrainerOptions(
    float LearningRate = 1e-3f,
    int WarmupSteps = 20,
    int TotalSteps = 1000,
    int GradAccumulation = 1,
    int Threads = 1,
    AdamWOptions? Adam = null)
{
    public LearningRateSchedule Schedule => new(LearningRate, WarmupSteps, TotalSteps);

    public void Validate()
    {
        if (!float.IsFinite(LearningRate) || LearningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive number.");
        }

        if (WarmupSteps < 0 || TotalSteps <= 0 || GradAccumulation <= 0 || Threads <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TotalSteps), $"Need warmup ≥ 0 (got {WarmupSteps}), total steps > 0 (got {TotalSteps}), accumulation > 0 (got {GradAccumulation}), threads > 0 (got {Threads}).");
        }
    }
}
