namespace Agora.Gauntlet;

/// <summary>The validator's scoring rules (docs/spec-training.md, Gauntlet). Published with the subnet's parameters.</summary>
public sealed record GauntletSettings
{
    /// <summary>Miners scored per window; the least recently evaluated are preferred.</summary>
    public int SampleSize { get; init; } = 20;

    /// <summary>Trial step size η in θ' = θ − η·update.</summary>
    public float TrialStepSize { get; init; } = 0.08f;

    /// <summary>Evaluation sequences drawn from random pages, and from the miner's own pages.</summary>
    public int RandomSequences { get; init; } = 8;
    public int OwnSequences { get; init; } = 8;

    /// <summary>BMA ← Decay·BMA + (1 − Decay)·indicator.</summary>
    public double BmaDecay { get; init; } = 0.95;

    /// <summary>Gradient score given to a sampled miner whose payload is missing or invalid.</summary>
    public double MissingScore { get; init; } = -99;

    public double RatingBeta { get; init; } = 7.0;
    public double RatingTau { get; init; } = 0.1;

    /// <summary>Sync score: (1 − min(x, SyncCap)/SyncCap)^SyncExponent, x in units of the recent outer step.</summary>
    public double SyncCap { get; init; } = 3.0;
    public double SyncExponent { get; init; } = 2.5;

    /// <summary>Parameters sampled for the sync check.</summary>
    public int SyncSampleSize { get; init; } = 64;

    /// <summary>Final-score multiplier after 1, 2 and 3 (or more) consecutive missed windows.</summary>
    public IReadOnlyList<double> MissPenalties { get; init; } = [0.75, 0.5, 0.0];

    /// <summary>Kept-index overlap at which the later committer's score is halved, and at which its record is reset.</summary>
    public double CopyHalveOverlap { get; init; } = 0.4;
    public double CopyResetOverlap { get; init; } = 0.6;
    public double CopyHalveFactor { get; init; } = 0.5;

    /// <summary>How many of the best positive finals receive weight (linear profile by rank).</summary>
    public int WeightedMiners { get; init; } = 16;

    public static GauntletSettings Default { get; } = new();

    public void Validate()
    {
        Require(SampleSize >= 1, $"SampleSize must be >= 1, got {SampleSize}.");
        Require(float.IsFinite(TrialStepSize) && TrialStepSize > 0, $"TrialStepSize must be > 0, got {TrialStepSize}.");
        Require(RandomSequences >= 1 && OwnSequences >= 1, "RandomSequences and OwnSequences must be >= 1.");
        Require(BmaDecay is >= 0 and < 1, $"BmaDecay must be in [0, 1), got {BmaDecay}.");
        Require(double.IsFinite(MissingScore), "MissingScore must be finite.");
        Require(RatingBeta > 0 && RatingTau >= 0, "RatingBeta must be > 0 and RatingTau >= 0.");
        Require(SyncCap > 0 && SyncExponent > 0 && SyncSampleSize >= 1, "SyncCap, SyncExponent and SyncSampleSize must be positive.");
        Require(MissPenalties.Count >= 1 && MissPenalties.All(p => p is >= 0 and <= 1), "MissPenalties must be non-empty and within [0, 1].");
        Require(CopyHalveOverlap is > 0 and <= 1 && CopyResetOverlap >= CopyHalveOverlap && CopyResetOverlap <= 1,
            "Copy thresholds must satisfy 0 < halve <= reset <= 1.");
        Require(CopyHalveFactor is >= 0 and <= 1, "CopyHalveFactor must be within [0, 1].");
        Require(WeightedMiners >= 1, $"WeightedMiners must be >= 1, got {WeightedMiners}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid Gauntlet settings: {message}");
        }
    }
}
