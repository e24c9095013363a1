namespace Agora.Model;

/// <summary>Temperature 0 means greedy (argmax); TopK 0 means the whole vocabulary; Seed makes sampling repeatable.</summary>
public sealed record SamplingOptions(float Temperature = 1.0f, int TopK = 0, ulong Seed = 0)
{
    public void Validate(int vocabSize)
    {
        if (!float.IsFinite(Temperature) || Temperature < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be a finite number ≥ 0 (0 = greedy).");
        }

        if (TopK < 0 || TopK > vocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, $"top-k must be in [0, {vocabSize}] (0 = no limit).");
        }
    }
}
