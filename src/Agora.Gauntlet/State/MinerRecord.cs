using Agora.Gauntlet.OpenSkill;

namespace Agora.Gauntlet.State;

/// <summary>What the validator remembers about one miner between windows.</summary>
public sealed record MinerRecord
{
    public required Rating Rating { get; init; }

    /// <summary>Moving average of the own-pages-beat-random-pages indicator (±1).</summary>
    public double Bma { get; init; }

    public int ConsecutiveMisses { get; init; }

    /// <summary>The last window in which the miner was sampled for scoring; −1 if never.</summary>
    public long LastEvaluatedWindow { get; init; } = -1;

    /// <summary>The last measured sync score in [0, 1]; 0 until measured.</summary>
    public double Sync { get; init; }

    public static MinerRecord New(Rating rating) => new() { Rating = rating };
}
