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

    /// <summary>
    /// The hotkey the record belongs to, as lowercase hex of its 32-byte public key; null when not known (a state written
    /// by format version 1). When the ledger gives the UID to another hotkey (it replaced the neuron), the newcomer
    /// starts from a fresh record instead of inheriting the old rating.
    /// </summary>
    public string? Hotkey { get; init; }

    public static MinerRecord New(Rating rating) => new() { Rating = rating };
}
