namespace Agora.Ledger.State;

/// <summary>
/// Fixed bounds on owner-settable hyperparameters. The upper bound on tempo (7200 blocks) guarantees epochs
/// keep running, so an owner can delay but never stop the payout of pending emission.
/// Signed steepness is carried as the two's-complement u64 of its value.
/// </summary>
public static class SubnetHyperparameterBounds
{
    public static readonly IReadOnlyList<SubnetHyperparameter> All = Enum.GetValues<SubnetHyperparameter>();

    public static (ulong Min, ulong Max) Of(SubnetHyperparameter p) => p switch
    {
        SubnetHyperparameter.Tempo => (2, 7_200),
        SubnetHyperparameter.Kappa => (16_384, 49_151),
        SubnetHyperparameter.ImmunityPeriod => (0, 50_400),
        SubnetHyperparameter.MaxAllowedUids => (1, 256),
        SubnetHyperparameter.MaxAllowedValidators => (1, 64),
        SubnetHyperparameter.WeightsRateLimit => (0, 7_200),
        SubnetHyperparameter.ActivityCutoff => (1, 50_400),
        SubnetHyperparameter.CommitRevealEnabled => (0, 1),
        SubnetHyperparameter.RevealPeriodEpochs => (1, 100),
        SubnetHyperparameter.MinBurn => (500_000, 100_000_000_000),
        SubnetHyperparameter.MaxBurn => (500_000, 100_000_000_000),
        SubnetHyperparameter.BondsMovingAverage => (0, 999_999),
        SubnetHyperparameter.BondsPenalty => (0, 65_535),
        SubnetHyperparameter.Yuma3Enabled => (0, 1),
        SubnetHyperparameter.LiquidAlphaEnabled => (0, 1),
        SubnetHyperparameter.AlphaLow => (1, 65_535),
        SubnetHyperparameter.AlphaHigh => (1, 65_535),
        SubnetHyperparameter.AlphaSigmoidSteepness => (0, 10_000),
        SubnetHyperparameter.BondsResetEnabled => (0, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown subnet hyperparameter."),
    };

    /// <summary>Null when <paramref name="value"/> is inside the bounds of <paramref name="p"/>, else the reason.</summary>
    public static string? Check(SubnetHyperparameter p, ulong value)
    {
        if (!Enum.IsDefined(p))
        {
            return $"Unknown subnet hyperparameter {(byte)p}.";
        }

        var (min, max) = Of(p);
        return value < min || value > max ? $"{p} = {value} is outside [{min}, {max}]." : null;
    }

    /// <summary>Cross-field rules that single bounds cannot express; null when consistent.</summary>
    public static string? CheckConsistent(SubnetHyperparameters h)
    {
        if (h.MinBurn > h.MaxBurn)
        {
            return $"MinBurn {h.MinBurn} exceeds MaxBurn {h.MaxBurn}.";
        }

        return h.AlphaLow >= h.AlphaHigh ? $"AlphaLow {h.AlphaLow} must be below AlphaHigh {h.AlphaHigh}." : null;
    }
}
