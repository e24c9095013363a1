using Agora.Artifacts;
using Agora.Core.Crypto;
using Agora.Gauntlet.Simulation;
using Agora.Ledger.App;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Model;
using Agora.Node.Ledger;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>
/// A whole subnet in one process: a real ledger node (SQLite, LedgerApp, Yuma), three honest miners, a copycat and a
/// validator, each with its own artifact store, driven block by block.
/// </summary>
public sealed class SubnetRunTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-roles-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Ed25519KeyPair Key(string name) => Ed25519KeyPair.FromSeed(Blake2b.Hash256(System.Text.Encoding.UTF8.GetBytes(name)));

    [Fact]
    public async Task Honest_miners_train_together_get_paid_and_a_copycat_earns_nothing()
    {
        var ownerCold = Key("owner-cold");
        var validatorHot = Key("validator-hot");
        var colds = Enumerable.Range(0, 4).Select(i => Key($"miner-cold-{i}")).ToArray();
        var hots = Enumerable.Range(0, 4).Select(i => Key($"miner-hot-{i}")).ToArray();
        var genesis = new GenesisConfig
        {
            ChainId = "agora-test",
            Balances = [(new AccountId(ownerCold.PublicKey), 10_000 * GlobalParameters.Tao), .. colds.Select(c => (new AccountId(c.PublicKey), 10_000 * GlobalParameters.Tao))],
            Subnets = [new GenesisSubnet(new AccountId(ownerCold.PublicKey), new AccountId(validatorHot.PublicKey), 1_000 * GlobalParameters.Tao,
                new SubnetHyperparameters { Tempo = 10, WeightsRateLimit = 0, ImmunityPeriod = 1000, MinBurn = 500_000, CommitRevealEnabled = true, RevealPeriodEpochs = 1 })],
        };
        using var node = LedgerNode.Open(new NodeOptions { DataDirectory = Path.Combine(_dir, "node") }, genesis);
        var ledger = new LocalSubnetLedger(node);
        ICommitmentBoard board = new LedgerCommitmentBoard(ledger);
        var setup = new SubnetSetup(1, ModelConfig.Tiny, SyntheticCorpus.Generate(512, 120_000, 7), new WindowClock(10, 7), innerSteps: 6, batchSize: 4);

        MinerRole NewMiner(int i) => new(setup, ledger, board, new FileArtifactStore(Path.Combine(_dir, $"store-m{i}")), colds[i], hots[i], Path.Combine(_dir, $"m{i}"),
            i == 3 ? MinerBehavior.Copycat : MinerBehavior.Honest);
        ValidatorRole NewValidator() => new(setup, ledger, board, new FileArtifactStore(Path.Combine(_dir, "store-v")), ownerCold, validatorHot, Path.Combine(_dir, "v"));

        var miners = Enumerable.Range(0, 4).Select(NewMiner).ToArray();
        var validator = NewValidator();
        async Task RunBlocks(int blocks)
        {
            for (var b = 0; b < blocks; b++)
            {
                node.ProduceBlock();
                await validator.TickAsync();
                foreach (var m in miners)
                {
                    await m.TickAsync();
                }
            }
        }

        await RunBlocks(125);
        var firstLoss = validator.Status.LossHistory[0].Loss;

        // Kill miner 1 mid-window and the validator; restart both from their state directories.
        node.ProduceBlock();
        miners[1] = NewMiner(1);
        var ratingsBefore = validator.GauntletState!.Miners.ToDictionary(kv => kv.Key, kv => kv.Value.Rating.Mu);
        Assert.True(ratingsBefore.Count >= 4 && ratingsBefore.Values.Any(mu => mu != 25.0), "the validator had rated the miners before the restart");
        validator = NewValidator();
        await validator.TickAsync();
        Assert.Equal(ratingsBefore, validator.GauntletState!.Miners.ToDictionary(kv => kv.Key, kv => kv.Value.Rating.Mu));
        await RunBlocks(124);

        var lossHistory = validator.Status.LossHistory;
        Assert.True(validator.Status.HeldOutLoss < firstLoss, $"held-out loss went from {firstLoss} to {validator.Status.HeldOutLoss}");

        var neurons = ledger.Neurons(1).ToDictionary(n => n.Uid);
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
