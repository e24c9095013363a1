using Agora.Artifacts;
using Agora.Ledger.State;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>
/// The lead validator goes down for good, then comes back: the other validator takes over as lead once the lead has been
/// silent for <see cref="PeerNetwork.LeadSilenceWindows"/> windows, the miners follow it, and the returning validator
/// catches up by following the new lead before it takes the lead back; θ ends bit-identical on every peer.
/// </summary>
public sealed class LeadFailoverTests
{
    [Fact]
    public async Task When_the_lead_validator_dies_the_next_live_one_leads_and_the_returning_lead_catches_up_on_the_same_theta()
    {
        using var subnet = new SubnetHarness("failover", "fo", minerCount: 2, innerSteps: 2, validatorCount: 2);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var lead = subnet.NewValidator(0);
        var follower = subnet.NewValidator(1, stakeRao: 50 * GlobalParameters.Tao);
        await subnet.RunBlocks(40, () => [follower, lead], miners);
        Assert.True(lead.Status.IsLead && !follower.Status.IsLead, "validator 0 (most stake) leads at first");
        Assert.Equal(lead.Status.Uid, follower.Status.LeadUid);
        var scoredBefore = follower.Status.ScoredWindow!.Value;
        var judgedBefore = lead.GauntletState!.Serialize();

        // The lead's process dies: it is never ticked again. For a few windows everyone waits for its selection until the
        // deadline's midpoint and then goes on without it; after that the follower leads and the miners follow it.
        await subnet.RunBlocks(67, () => [follower], miners);
        Assert.True(follower.Status.IsLead, $"the follower did not take over (lead UID {follower.Status.LeadUid})");

        // It checkpointed θ in the first window it led, not only every CheckpointEvery windows, so any peer that applied
        // the old lead's selection across the change adopts the new lead's θ a window later.
        var store = new FileArtifactStore(subnet.ValidatorStoreDirectory(1));
        var checkpoints = (await store.ListAsync(Publication.CheckpointPrefix)).Select(Publication.CheckpointWindow).ToList();
        Assert.Contains(checkpoints, w => w > scoredBefore + 1 && w % ValidatorRole.CheckpointEvery != 0);
        Assert.True(follower.Status.ScoredWindow >= scoredBefore + 6, $"the follower scored up to {follower.Status.ScoredWindow} only");
        Assert.Equal(miners.Select(m => m.Status.Uid!.Value), follower.Status.SelectedUids.Select(u => (int)u).Order());
        foreach (var m in miners)
        {
            Assert.Equal(Bits(follower.Theta.ToArray()), Bits(m.Theta.ToArray()));
        }

        // It comes back from its state directory, far behind: it follows the live lead through the windows it missed,
        // then, caught up and live again, takes the lead back by stake.
        lead = subnet.NewValidator(0);

        // Its first tick (block 107) steps windows 4 to 9, whose commitments the miners have since replaced with their
        // window-10 ones: it applies them but judges none, so its ratings are exactly those it had when it died and no
        // miner is counted missing for the validator's own downtime.
        Assert.Equal(107UL, subnet.Ledger.Height);
        await lead.TickAsync();
        Assert.Equal((9UL, 6), (lead.Status.ScoredWindow, lead.Status.UnjudgedWindows));
        Assert.Equal(judgedBefore, lead.GauntletState!.Serialize());

        await subnet.RunBlocks(53, () => [follower, lead], miners);
        Assert.Equal(6, lead.Status.UnjudgedWindows);
        Assert.True(lead.GauntletState!.LastWindow > 10, $"the returned lead judged up to window {lead.GauntletState.LastWindow}");
        Assert.Equal(follower.Status.ScoredWindow, lead.Status.ScoredWindow);
        Assert.True(lead.Status.IsLead && !follower.Status.IsLead, $"lead UID as the follower sees it: {follower.Status.LeadUid}");
        Assert.Equal(Bits(follower.Theta.ToArray()), Bits(lead.Theta.ToArray()));
        foreach (var m in miners)
        {
            Assert.Equal(Bits(lead.Theta.ToArray()), Bits(m.Theta.ToArray()));
        }
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
