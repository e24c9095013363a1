namespace Agora.Ledger.Consensus;

/// <summary>One epoch's result within a scenario replay.</summary>
public sealed record ScenarioEpoch(int StepIndex, ulong Block, EpochOutput Output);

/// <summary>Replays a <see cref="YumaScenario"/> through <see cref="YumaEpoch"/> with the persistence rules of README
/// §3.4: set_weights stores the max-upscaled row and sets last_update; an epoch stores its bonds and permits only.</summary>
public static class YumaScenarioRunner
{
    public static IReadOnlyList<ScenarioEpoch> Run(YumaScenario scenario)
    {
        var n = scenario.N;
        var weights = scenario.Weights.Select(r => (SparseEntry[])r.Clone()).ToArray();
        var bonds = scenario.Bonds.Select(r => (SparseEntry[])r.Clone()).ToArray();
        var lastUpdate = (ulong[])scenario.LastUpdate.Clone();
        var permits = (bool[])scenario.ValidatorPermit.Clone();
        var results = new List<ScenarioEpoch>();
        for (var index = 0; index < scenario.Steps.Count; index++)
        {
            switch (scenario.Steps[index])
            {
                case SetWeightsStep set:
                    weights[set.Uid] = Upscaled(set, index);
                    lastUpdate[set.Uid] = set.Block;
                    break;
                case ResetBondsStep reset:
                    if (scenario.BondsResetEnabled)
                    {
                        for (var i = 0; i < n; i++)
                        {
                            bonds[i] = Array.FindAll(bonds[i], e => e.Column != reset.Uid);
                        }
                    }

                    break;
                case EpochStep epoch:
                    var output = YumaEpoch.Run(new EpochInput
                    {
                        Block = epoch.Block,
                        Tempo = scenario.Tempo,
                        ActivityCutoff = scenario.ActivityCutoff,
                        Kappa = scenario.Kappa,
                        BondsPenalty = scenario.BondsPenalty,
                        BondsMovingAverage = scenario.BondsMovingAverage,
                        Yuma3 = scenario.Yuma3,
                        LiquidAlpha = scenario.LiquidAlpha,
                        AlphaLow = scenario.AlphaLow,
                        AlphaHigh = scenario.AlphaHigh,
                        AlphaSigmoidSteepness = scenario.AlphaSigmoidSteepness,
                        MaxAllowedValidators = scenario.MaxAllowedValidators,
                        RaoEmission = scenario.RaoEmission,
                        Stake = scenario.Stake,
                        LastUpdate = (ulong[])lastUpdate.Clone(),
                        BlockAtRegistration = scenario.BlockAtRegistration,
                        ValidatorPermit = (bool[])permits.Clone(),
                        Weights = weights.Select(r => (SparseEntry[])r.Clone()).ToArray(),
                        Bonds = bonds.Select(r => (SparseEntry[])r.Clone()).ToArray(),
                    });
                    bonds = output.Bonds.Select(r => (SparseEntry[])r.Clone()).ToArray();
                    permits = (bool[])output.ValidatorPermit.Clone();
                    results.Add(new ScenarioEpoch(index, epoch.Block, output));
                    break;
                default:
                    throw new InvalidOperationException($"steps[{index}]: unknown step type {scenario.Steps[index].GetType().Name}");
            }
        }

        return results;
    }

    private static SparseEntry[] Upscaled(SetWeightsStep step, int index)
    {
        var values = step.Weights.Select(e => e.Value).ToArray();
        var scaled = WeightScaling.MaxUpscale(values);
        var row = new SparseEntry[values.Length];
        for (var k = 0; k < row.Length; k++)
        {
            row[k] = new SparseEntry(step.Weights[k].Column, scaled[k]);
        }

        if (step.Stored is { } stored && !stored.SequenceEqual(row))
        {
            throw new ScenarioFormatException(
                $"steps[{index}].stored: the file says [{string.Join(", ", stored.Select(e => $"[{e.Column}, {e.Value}]"))}] but max-upscaling "
                + $"the weights gives [{string.Join(", ", row.Select(e => $"[{e.Column}, {e.Value}]"))}]");
        }

        return row;
    }
}
