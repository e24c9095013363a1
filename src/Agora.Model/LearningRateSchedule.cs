namespace Agora.Model;

/// <summary>
/// Linear warmup then cosine decay: for step s (0-based), lr = max·(s+1)/warmup while s &lt; warmup; afterwards
/// lr = min + ½(max − min)(1 + cos(π·p)) with p = (s − warmup)/(total − warmup) clamped to [0, 1] and min = max·MinRatio.
/// </summary>
public sealed record LearningRateSchedule(float MaxLr, int WarmupSteps, int TotalSteps, float MinRatio = 0.1f)
{
    public float At(int step)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Steps start at 0.");
        }

        if (step < WarmupSteps)
        {
            return MaxLr * (step + 1) / WarmupSteps;
        }

        float min = MaxLr * MinRatio;
        int span = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / span, 0.0, 1.0);
        return (float)(min + (0.5 * (MaxLr - min) * (1.0 + Math.Cos(Math.PI * progress))));
    }
}
