using Agora.Gauntlet.Acceptance;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>A miner that joins a running subnet with no state of its own catches up from the lead validator's newest
/// checkpoint and the per-window aggregates after it, then produces payloads the validator accepts and pays for.</summary>
public sealed class LateJoinTests
{
    [Fact]
    public async Task A_miner_joining_late_starts_from_the_checkpoint_replays_the_aggregates_and_is_accepted()
    {
        using var subnet = new SubnetHarness("latejoin", "lj", minerCount: 3, innerSteps: 2);
        var miners = new List<MinerRole> { subnet.NewMiner(0, MinerBehavior.Honest), subnet.NewMiner(1, MinerBehavior.Honest) };
        var validator = subnet.NewValidator();

        // Windows 0 to 6 without it: the validator has published the checkpoint of window 5 and the aggregates since.
        await subnet.RunBlocks(67, () => validator, miners);
        Assert.True(validator.Status.ScoredWindow >= 5, $"scored up to {validator.Status.ScoredWindow}");
        var late = subnet.NewMiner(2, MinerBehavior.Honest);
        miners.Add(late);
        await subnet.RunBlocks(50, () => validator, miners);

        // Had it started from θ₀ instead of the checkpoint, no later aggregate could bring it to the validator's θ.
        Assert.True(late.Status.TrainedWindow >= 9, $"the late miner trained up to window {late.Status.TrainedWindow}");
        Assert.Equal(Bits(validator.Theta.ToArray()), Bits(late.Theta.ToArray()));
        var row = validator.Status.Miners.Single(m => m.Uid == (uint)late.Status.Uid!.Value);
        Assert.Equal(RejectionReason.None, row.Reason);
        Assert.True(row.Sync > 0.99, $"sync score {row.Sync}: its parameter sample is off the validator's θ");
        Assert.Contains((uint)late.Status.Uid!.Value, validator.Status.SelectedUids);
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
