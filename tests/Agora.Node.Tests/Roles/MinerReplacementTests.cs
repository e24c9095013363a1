using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>When the subnet is full, a newcomer's registration takes the UID of the neuron that earned least; the validator
/// must judge the newcomer on its own record, not on the one its predecessor built under the same UID.</summary>
public sealed class MinerReplacementTests
{
    [Fact]
    public async Task A_newcomer_that_takes_a_poisoners_uid_is_rated_afresh_and_the_old_hotkeys_commitment_is_gone()
    {
        // Three UIDs: the validator (the owner's hotkey, never pruned), an honest miner and a poisoner, immune for 20 blocks.
        using var subnet = new SubnetHarness("replace", "rp", minerCount: 3, innerSteps: 1,
            hyperparameters: h => h with { MaxAllowedUids = 3, ImmunityPeriod = 20 });
        MinerRole[] miners = [subnet.NewMiner(0, MinerBehavior.Honest), subnet.NewMiner(1, MinerBehavior.Poison)];
        var validator = subnet.NewValidator();
        await subnet.RunBlocks(60, () => validator, miners);

        var poisonUid = (uint)miners[1].Status.Uid!.Value;
        var poisoner = validator.GauntletState!.Miners[poisonUid];
        Assert.Equal(Convert.ToHexStringLower(subnet.Ledger.Neurons(1).Single(n => n.Uid == poisonUid).Hotkey), poisoner.Hotkey);
        Assert.True(poisoner.Rating.Mu < 25, $"the poisoner's μ is {poisoner.Rating.Mu}");

        // The newcomer registers: the poisoner earned nothing, so its UID is the one the ledger hands over.
        var newcomer = subnet.NewMiner(2, MinerBehavior.Honest);
        MinerRole[] now = [miners[0], newcomer];
        var scored = validator.Status.ScoredWindow!.Value;
        await subnet.RunBlocks(5, () => validator, now);
        Assert.Equal(poisonUid, (uint?)newcomer.Status.Uid);
        var neuron = subnet.Ledger.Neurons(1).Single(n => n.Uid == poisonUid);
        Assert.DoesNotContain(subnet.Ledger.ArtifactCommitments(1), c => !subnet.Ledger.Neurons(1).Any(n => n.Hotkey.AsSpan().SequenceEqual(c.Hotkey)));

        await subnet.RunBlocks(30, () => validator, now);
        Assert.True(validator.Status.ScoredWindow > scored + 2, $"scored up to {validator.Status.ScoredWindow}, was {scored}");
        var record = validator.GauntletState!.Miners[poisonUid];
        Assert.Equal(Convert.ToHexStringLower(neuron.Hotkey), record.Hotkey);
        Assert.True(record.Rating.Mu > poisoner.Rating.Mu + 3, $"the newcomer's μ {record.Rating.Mu} carries on from the poisoner's {poisoner.Rating.Mu}");
        Assert.True(record.Bma > 0, $"the newcomer's BMA is {record.Bma}");
    }
}
