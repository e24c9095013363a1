using Agora.Core.Serialization;

namespace Agora.Ledger.State;

/// <summary>Per-subnet parameters (subtensor defaults unless noted). Booleans are stored as 0/1 when set by number.</summary>
public sealed record SubnetHyperparameters
{
    public ushort Tempo { get; init; } = 360;
    public ushort Kappa { get; init; } = 32_767;
    public ushort ImmunityPeriod { get; init; } = 5_000;
    public ushort MaxAllowedUids { get; init; } = 256;
    public ushort MaxAllowedValidators { get; init; } = 64;
    public ulong WeightsRateLimit { get; init; } = 100;
    public ulong ActivityCutoff { get; init; } = 5_000;
    public bool CommitRevealEnabled { get; init; } = true;
    public ulong RevealPeriodEpochs { get; init; } = 1;
    public ulong MinBurn { get; init; } = 500_000;
    public ulong MaxBurn { get; init; } = 100_000_000_000;
    public ulong BondsMovingAverage { get; init; } = 900_000;
    public ushort BondsPenalty { get; init; } = 65_535;
    public bool Yuma3Enabled { get; init; } = true;
    public bool LiquidAlphaEnabled { get; init; }
    public ushort AlphaLow { get; init; } = 45_875;
    public ushort AlphaHigh { get; init; } = 58_982;
    public short AlphaSigmoidSteepness { get; init; } = 1_000;
    public bool BondsResetEnabled { get; init; }

    public ulong Get(SubnetHyperparameter p) => p switch
    {
        SubnetHyperparameter.Tempo => Tempo,
        SubnetHyperparameter.Kappa => Kappa,
        SubnetHyperparameter.ImmunityPeriod => ImmunityPeriod,
        SubnetHyperparameter.MaxAllowedUids => MaxAllowedUids,
        SubnetHyperparameter.MaxAllowedValidators => MaxAllowedValidators,
        SubnetHyperparameter.WeightsRateLimit => WeightsRateLimit,
        SubnetHyperparameter.ActivityCutoff => ActivityCutoff,
        SubnetHyperparameter.CommitRevealEnabled => CommitRevealEnabled ? 1UL : 0UL,
        SubnetHyperparameter.RevealPeriodEpochs => RevealPeriodEpochs,
        SubnetHyperparameter.MinBurn => MinBurn,
        SubnetHyperparameter.MaxBurn => MaxBurn,
        SubnetHyperparameter.BondsMovingAverage => BondsMovingAverage,
        SubnetHyperparameter.BondsPenalty => BondsPenalty,
        SubnetHyperparameter.Yuma3Enabled => Yuma3Enabled ? 1UL : 0UL,
        SubnetHyperparameter.LiquidAlphaEnabled => LiquidAlphaEnabled ? 1UL : 0UL,
        SubnetHyperparameter.AlphaLow => AlphaLow,
        SubnetHyperparameter.AlphaHigh => AlphaHigh,
        SubnetHyperparameter.AlphaSigmoidSteepness => (ulong)(long)AlphaSigmoidSteepness,
        SubnetHyperparameter.BondsResetEnabled => BondsResetEnabled ? 1UL : 0UL,
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown subnet hyperparameter."),
    };

    /// <summary>Returns a copy with <paramref name="p"/> set; the caller has checked the bounds.</summary>
    public SubnetHyperparameters With(SubnetHyperparameter p, ulong v) => p switch
    {
        SubnetHyperparameter.Tempo => this with { Tempo = (ushort)v },
        SubnetHyperparameter.Kappa => this with { Kappa = (ushort)v },
        SubnetHyperparameter.ImmunityPeriod => this with { ImmunityPeriod = (ushort)v },
        SubnetHyperparameter.MaxAllowedUids => this with { MaxAllowedUids = (ushort)v },
        SubnetHyperparameter.MaxAllowedValidators => this with { MaxAllowedValidators = (ushort)v },
        SubnetHyperparameter.WeightsRateLimit => this with { WeightsRateLimit = v },
        SubnetHyperparameter.ActivityCutoff => this with { ActivityCutoff = v },
        SubnetHyperparameter.CommitRevealEnabled => this with { CommitRevealEnabled = v != 0 },
        SubnetHyperparameter.RevealPeriodEpochs => this with { RevealPeriodEpochs = v },
        SubnetHyperparameter.MinBurn => this with { MinBurn = v },
        SubnetHyperparameter.MaxBurn => this with { MaxBurn = v },
        SubnetHyperparameter.BondsMovingAverage => this with { BondsMovingAverage = v },
        SubnetHyperparameter.BondsPenalty => this with { BondsPenalty = (ushort)v },
        SubnetHyperparameter.Yuma3Enabled => this with { Yuma3Enabled = v != 0 },
        SubnetHyperparameter.LiquidAlphaEnabled => this with { LiquidAlphaEnabled = v != 0 },
        SubnetHyperparameter.AlphaLow => this with { AlphaLow = (ushort)v },
        SubnetHyperparameter.AlphaHigh => this with { AlphaHigh = (ushort)v },
        SubnetHyperparameter.AlphaSigmoidSteepness => this with { AlphaSigmoidSteepness = (short)(long)v },
        SubnetHyperparameter.BondsResetEnabled => this with { BondsResetEnabled = v != 0 },
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown subnet hyperparameter."),
    };

    public void Encode(CanonicalWriter w)
    {
        foreach (var p in SubnetHyperparameterBounds.All)
        {
            w.WriteU64(Get(p));
        }
    }

    public static SubnetHyperparameters Decode(ref CanonicalReader r)
    {
        var h = new SubnetHyperparameters();
        foreach (var p in SubnetHyperparameterBounds.All)
        {
            var v = r.ReadU64(p.ToString());
            var error = SubnetHyperparameterBounds.Check(p, v);
            if (error is not null)
            {
                throw new EncodingException($"Stored hyperparameter: {error}");
            }

            h = h.With(p, v);
        }

        return h;
    }
}
