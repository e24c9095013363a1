namespace Agora.SparseLoCo;

/// <summary>The subnet's compression parameters. Both sides must agree on them: the decoder expects exactly
/// <see cref="ChunkGrid.KeepPerChunk"/> entries per chunk.</summary>
public sealed record CodecSettings
{
    /// <summary>Kept entries per 4096-entry chunk (64 = 1.5625%, the paper's and the 72B run's setting).</summary>
    public int KeepPer4096 { get; init; } = 64;

    /// <summary>Error-feedback decay β in a ← β·e + Δ.</summary>
    public float Beta { get; init; } = 0.95f;

    public static CodecSettings Default { get; } = new();

    public void Validate()
    {
        if (KeepPer4096 is < 1 or > ChunkGrid.ReferenceChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepPer4096), KeepPer4096, "Kept entries per 4096 must be in 1..4096.");
        }

        if (!float.IsFinite(Beta) || Beta is < 0f or > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "The error-feedback decay must be in [0, 1].");
        }
    }
}
