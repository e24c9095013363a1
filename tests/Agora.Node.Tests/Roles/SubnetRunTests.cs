using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>
/// A whole subnet in one process: a real ledger node (SQLite, LedgerApp, Yuma), three honest miners, a copycat and a
/// validator, each with its own artifact store, driven block by block.
/// </summary>
public sealed class SubnetRunTests
{
    [Fact]
    public async Task Honest_miners_train_together_get_paid_and_a_copycat_earns_nothing()
    {
        using var subnet = new SubnetHarness("roles", "miner", minerCount: 4, innerSteps: 6);
        var setup = subnet.Setup;
        MinerRole NewMiner(int i) => subnet.NewMiner(i, i == 3 ? MinerBehavior.Copycat : MinerBehavior.Honest);

        var miners = Enumerable.Range(0, 4).Select(NewMiner).ToArray();
        var validator = subnet.NewValidator();
        Task RunBlocks(int blocks) => subnet.RunBlocks(blocks, () => validator, miners);

        await RunBlocks(125);
        var firstLoss = validator.Status.LossHistory[0].Loss;

        // Kill miner 1 mid-window and the validator; restart both from their state directories.
        subnet.Node.ProduceBlock();
        miners[1] = NewMiner(1);
        var ratingsBefore = validator.GauntletState!.Miners.ToDictionary(kv => kv.Key, kv => kv.Value.Rating.Mu);
        Assert.True(ratingsBefore.Count >= 4 && ratingsBefore.Values.Any(mu => mu != 25.0), "the validator had rated the miners before the restart");
        validator = subnet.NewValidator();
        await validator.TickAsync();
        Assert.Equal(ratingsBefore, validator.GauntletState!.Miners.ToDictionary(kv => kv.Key, kv => kv.Value.Rating.Mu));
        await RunBlocks(124);

        var lossHistory = validator.Status.LossHistory;
        Assert.True(validator.Status.HeldOutLoss < firstLoss, $"held-out loss went from {firstLoss} to {validator.Status.HeldOutLoss}");

        var neurons = subnet.Ledger.Neurons(1).ToDictionary(n => n.Uid);
        var uids = miners.Select(m => m.Status.Uid!.Value).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(neurons[(ushort)uids[i]].Incentive > 0, $"honest miner {i} (UID {uids[i]}) has no incentive");
            Assert.Equal(setup.PayloadBytes, miners[i].Status.LastPayloadBytes);
            Assert.Equal(miners[0].Theta.ToArray(), miners[i].Theta.ToArray());
        }

        Assert.Equal(0, neurons[(ushort)uids[3]].Incentive);
        Assert.Equal(validator.Theta.ToArray(), miners[0].Theta.ToArray());
        Assert.True(miners[1].Status.TrainedWindow >= validator.Status.ScoredWindow, "the restarted miner kept training");
    }
}
