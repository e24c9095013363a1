using System.Collections.Immutable;
using Agora.Ledger.Consensus;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.Execution;

/// <summary>
/// Runs Yuma Consensus for one subnet at its epoch block and pays out the pending emission:
/// the miner pool (41%) pro rata to the epoch's server emission, the validator pool (41%) pro rata to its
/// validator emission with the 18% take to the hotkey's owner and the rest to the hotkey's share pool
/// (pro rata to all its stakers), and the owner cut (18%) to the owner hotkey's stake.
/// Where the epoch gives a pool no weights (no incentive or no dividends) that pool follows the epoch's
/// combined emission vector; if that is empty too (no stake at all) the pool stays pending. Rounding dust stays
/// pending for the next epoch, so alpha is conserved exactly.
/// </summary>
public static class EpochRunner
{
    /// <summary>Validator take, 11,796 / 65,535 ≈ 18%.</summary>
    public const ulong TakeNumerator = 11_796;
    public const ulong TakeDenominator = 65_535;

    public static void Run(LedgerState s, ushort netuid, ulong height)
    {
        var subnet = s.Subnets[netuid];
        var n = subnet.NeuronCount;
        PayOwnerCut(s, ref subnet);
        if (n == 0)
        {
            s.SetSubnet(subnet with { LastEpochBlock = height });
            return;
        }

        var neurons = new Neuron[n];
        for (ushort uid = 0; uid < n; uid++)
        {
            neurons[uid] = s.Neurons[(netuid, uid)];
        }

        var h = subnet.Hyper;
        var input = new EpochInput
        {
            Block = height,
            Tempo = h.Tempo,
            ActivityCutoff = h.ActivityCutoff,
            Kappa = h.Kappa,
            BondsPenalty = h.BondsPenalty,
            BondsMovingAverage = h.BondsMovingAverage,
            Yuma3 = h.Yuma3Enabled,
            LiquidAlpha = h.LiquidAlphaEnabled,
            AlphaLow = h.AlphaLow,
            AlphaHigh = h.AlphaHigh,
            AlphaSigmoidSteepness = h.AlphaSigmoidSteepness,
            MaxAllowedValidators = h.MaxAllowedValidators,
            RaoEmission = subnet.PendingServer + subnet.PendingValidator,
            Stake = neurons.Select(x => s.HotkeyStake(netuid, x.Hotkey)).ToArray(),
            LastUpdate = neurons.Select(x => x.LastUpdate).ToArray(),
            BlockAtRegistration = neurons.Select(x => x.RegisteredBlock).ToArray(),
            ValidatorPermit = neurons.Select(x => x.ValidatorPermit).ToArray(),
            Weights = Enumerable.Range(0, n).Select(u => ToConsensusRow(s.WeightsOf(netuid, (ushort)u))).ToArray(),
            Bonds = Enumerable.Range(0, n).Select(u => ToConsensusRow(s.BondsOf(netuid, (ushort)u))).ToArray(),
        };
        var output = YumaEpoch.Run(input);

        var minerPaid = Distribute(subnet.PendingServer, output.ServerEmission, output.Emission);
        var validatorPaid = Distribute(subnet.PendingValidator, output.ValidatorEmission, output.Emission);
        ulong spentServer = 0, spentValidator = 0;
        for (ushort uid = 0; uid < n; uid++)
        {
            var x = neurons[uid];
            var m = minerPaid[uid];
            var v = validatorPaid[uid];
            // Nominators' part first, so that the take and the incentive (both the owner's) do not dilute it.
            var take = Arith.MulDivU64(v, TakeNumerator, TakeDenominator);
            if (v - take > 0)
            {
                s.AddToHotkeyPool(x.Hotkey, netuid, v - take);
            }

            s.AddStake(x.Hotkey, x.Coldkey, netuid, take);
            s.AddStake(x.Hotkey, x.Coldkey, netuid, m);

            spentServer += m;
            spentValidator += v;
            s.Neurons = s.Neurons.SetItem((netuid, uid), x with
            {
                ValidatorPermit = output.ValidatorPermit[uid],
                StakeWeight = output.StakeWeight[uid],
                Rank = output.Incentive[uid],
                Trust = output.ValidatorTrust[uid],
                Consensus = output.Consensus[uid],
                Incentive = output.Incentive[uid],
                Dividends = output.Dividends[uid],
                Emission = m + v,
            });
            var bonds = output.Bonds[uid];
            s.Bonds = bonds.Length == 0
                ? s.Bonds.Remove((netuid, uid))
                : s.Bonds.SetItem((netuid, uid), bonds.Select(e => new WeightEntry(e.Column, e.Value)).ToImmutableArray());
        }

        s.SetSubnet(subnet with
        {
            PendingServer = subnet.PendingServer - spentServer,
            PendingValidator = subnet.PendingValidator - spentValidator,
            LastEpochBlock = height,
        });
    }

    private static void PayOwnerCut(LedgerState s, ref Subnet subnet)
    {
        if (subnet.PendingOwner == 0)
        {
            return;
        }

        s.AddStake(subnet.OwnerHotkey, subnet.OwnerColdkey, subnet.Netuid, subnet.PendingOwner);
        subnet = subnet with { PendingOwner = 0 };
        s.SetSubnet(subnet);
    }

    /// <summary>floor(pool × w_i / Σw) per UID using <paramref name="weights"/>, or <paramref name="fallback"/> when those sum to zero.</summary>
    internal static ulong[] Distribute(ulong pool, ulong[] weights, ulong[] fallback)
    {
        var use = Sum(weights) != 0 ? weights : fallback;
        var total = Sum(use);
        var paid = new ulong[use.Length];
        if (total == 0 || pool == 0)
        {
            return paid;
        }

        for (var i = 0; i < use.Length; i++)
        {
            paid[i] = (ulong)Arith.MulDiv(pool, use[i], total);
        }

        return paid;
    }

    private static UInt128 Sum(ulong[] values)
    {
        UInt128 total = 0;
        foreach (var v in values)
        {
            total += v;
        }

        return total;
    }

    private static Consensus.SparseEntry[] ToConsensusRow(ImmutableArray<WeightEntry> row) =>
        row.Select(e => new Consensus.SparseEntry(e.Uid, e.Value)).ToArray();
}
