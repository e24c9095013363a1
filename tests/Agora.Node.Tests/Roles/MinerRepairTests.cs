using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>
/// A miner that aggregated a window without the lead validator's selection (it came too late) keeps θ at the start of
/// that window; once the validator publishes a selection that differs from what the miner used, the miner rebuilds θ from
/// the aggregates of the validator's selections and ends bit-identical to the validator's θ, without waiting for the next checkpoint.
/// </summary>
public sealed class MinerRepairTests
{
    [Fact]
    public async Task A_miner_that_fell_back_ends_with_the_validators_theta_when_the_selection_differs()
    {
        // The poison miner's payloads are validly framed, so the fallback takes them; the validator never selects them.
        using var subnet = new SubnetHarness("repair", "rp", minerCount: 3, innerSteps: 2);
        using var rig = new MinerRig(subnet, "rp", 0);
        var miner = rig.NewMiner();
        MinerRole[] miners = [miner, subnet.NewMiner(1, MinerBehavior.Honest), subnet.NewMiner(2, MinerBehavior.Poison)];
        var validator = subnet.NewValidator();
        var clock = subnet.Setup.Clock;

        // Window v = 2 (no checkpoint at 3 or 4 to mend θ): run in step until every miner trained it.
        const ulong v = 2;
        await MinerRig.RunUntil(subnet, validator, miners, () => miners.All(m => m.Status.TrainedWindow == v));
        Assert.Equal(validator.Theta.ToArray(), miner.Theta.ToArray());

        // The validator stalls past v's deadline; the miners stop waiting for its selection, aggregate every valid
        // payload of v and train v + 1 from that θ.
        await MinerRig.RunUntil(subnet, null, miners, () => miner.Status.TrainedWindow == v + 1);
        Assert.Equal(clock.StartBlock(v + 1) + (clock.DeadlineOffset / 2), subnet.Ledger.Height);
        var repair = MinerState.TryLoad(rig.StatePath, rig.P)!.Repair!;
        Assert.Equal(v, repair.Window);
        Assert.Equal(validator.Theta.ToArray(), repair.Theta);
        var used = Assert.Single(repair.Windows);
        Assert.Equal(v, used.Window);
        var poisonUid = (uint)miners[2].Status.Uid!.Value;
        Assert.Contains(poisonUid, used.Payloads.Select(p => p.Uid));
        var fallbackTheta = miner.Theta.ToArray();

        // The validator scores v; its selection leaves the poison out. Until the selection is readable the miner waits
        // (it recomputes the aggregate from the selected payloads rather than take the validator's on trust).
        subnet.Node.ProduceBlock();
        await validator.TickAsync();
        Assert.Equal(v, validator.Status.ScoredWindow);
        Assert.DoesNotContain(poisonUid, validator.Status.SelectedUids);
        Assert.NotEqual(validator.Theta.ToArray(), fallbackTheta);
        var store = new Agora.Artifacts.FileArtifactStore(subnet.ValidatorStoreDirectory(0));
        var selection = await store.GetAsync(Publication.SelectionKey(v), 1 << 30);
        await store.DeleteAsync(Publication.SelectionKey(v));
        await miner.TickAsync();
        Assert.Equal(fallbackTheta, miner.Theta.ToArray());
        Assert.NotNull(MinerState.TryLoad(rig.StatePath, rig.P)!.Repair);

        // Once the selection is back and its digest is on the ledger (the validator's commitment lands a block after
        // its step), the miner rebuilds θ.
        await store.PutAsync(Publication.SelectionKey(v), selection);
        subnet.Node.ProduceBlock();
        await miner.TickAsync();
        Assert.Equal(validator.Theta.ToArray(), miner.Theta.ToArray());
        var saved = MinerState.TryLoad(rig.StatePath, rig.P)!;
        Assert.Null(saved.Repair);
        Assert.Equal(validator.Theta.ToArray(), saved.Theta);

        // From there it follows the validator's selections as usual.
        await MinerRig.RunUntil(subnet, validator, miners, () => miner.Status.TrainedWindow == v + 2);
        Assert.Equal(validator.Theta.ToArray(), miner.Theta.ToArray());
    }

    [Fact]
    public async Task A_miner_that_fell_back_drops_its_snapshot_once_the_selection_is_published_and_matches_the_validator()
    {
        // Honest miners only: whatever the validator selects, the miner ends on its θ (kept when the selection matches
        // what it used, rebuilt otherwise) and holds no snapshot afterwards.
        using var subnet = new SubnetHarness("confirm", "cf", minerCount: 2, innerSteps: 2);
        using var rig = new MinerRig(subnet, "cf", 0);
        var miner = rig.NewMiner();
        MinerRole[] miners = [miner, subnet.NewMiner(1, MinerBehavior.Honest)];
        var validator = subnet.NewValidator();
        const ulong v = 1;
        await MinerRig.RunUntil(subnet, validator, miners, () => miners.All(m => m.Status.TrainedWindow == v));
        await MinerRig.RunUntil(subnet, null, miners, () => miner.Status.TrainedWindow == v + 1);
        var repair = MinerState.TryLoad(rig.StatePath, rig.P)!.Repair!;
        var fallbackTheta = miner.Theta.ToArray();

        await MinerRig.RunUntil(subnet, validator, miners, () => validator.Status.ScoredWindow == v);
        subnet.Node.ProduceBlock(); // the validator's commitment with the selection's digest lands a block after its step
        await miner.TickAsync();
        Assert.Null(MinerState.TryLoad(rig.StatePath, rig.P)!.Repair);
        Assert.Equal(validator.Theta.ToArray(), miner.Theta.ToArray());
        var usedUids = repair.Windows.Single().Payloads.Select(p => p.Uid);
        if (usedUids.SequenceEqual(validator.Status.SelectedUids))
        {
            Assert.Equal(fallbackTheta, miner.Theta.ToArray());
        }
    }
}
