namespace Agora.Model;

/// <summary>Where training stands: optimizer steps taken and the SparseLoCo window (0 outside a round).</summary>
public sealed record TrainingProgress(long Step, long Window);
