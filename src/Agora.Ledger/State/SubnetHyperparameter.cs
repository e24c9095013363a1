namespace Agora.Ledger.State;

/// <summary>
/// Subnet hyperparameters an owner may set (within <see cref="SubnetHyperparameterBounds"/>).
/// The numeric values are part of the transaction wire format: never renumber.
/// None of them touches the subnet's TAO emission share, which only the EMA price formula decides.
/// </summary>
public enum SubnetHyperparameter : byte
{
    Tempo = 1,
    Kappa = 2,
    ImmunityPeriod = 3,
    MaxAllowedUids = 4,
    MaxAllowedValidators = 5,
    WeightsRateLimit = 6,
    ActivityCutoff = 7,
    CommitRevealEnabled = 8,
    RevealPeriodEpochs = 9,
    MinBurn = 10,
    MaxBurn = 11,
    BondsMovingAverage = 12,
    BondsPenalty = 13,
    Yuma3Enabled = 14,
    LiquidAlphaEnabled = 15,
    AlphaLow = 16,
    AlphaHigh = 17,
    AlphaSigmoidSteepness = 18,
    BondsResetEnabled = 19,
}
