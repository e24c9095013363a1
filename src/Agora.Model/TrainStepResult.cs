namespace Agora.Model;

/// <summary>What one optimizer step did: its 1-based number, mean loss over its micro-batches, pre-clip grad norm, lr, tokens seen, wall time.</summary>
public sealed record TrainStepResult(long Step, float Loss, double GradNorm, float LearningRate, long Tokens, TimeSpan Elapsed)
{
    public double TokensPerSecond => Elapsed > TimeSpan.Zero ? Tokens / Elapsed.TotalSeconds : 0;
}
