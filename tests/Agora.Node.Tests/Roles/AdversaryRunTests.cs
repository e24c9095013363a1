using Agora.Artifacts;
using Agora.Core.Crypto;
using Agora.Gauntlet.Acceptance;
using Agora.Gauntlet.Simulation;
using Agora.Ledger.App;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Model;
using Agora.Node.Ledger;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>Two honest miners beside a noise, a poison and a late miner on a real ledger node, driven block by block.</summary>
public sealed class AdversaryRunTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-adv-" + Guid.NewGuid().ToString("N"));

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
    public async Task Honest_miners_get_paid_while_noise_poison_and_late_miners_earn_nothing()
    {
        MinerBehavior[] kinds = [MinerBehavior.Honest, MinerBehavior.Honest, MinerBehavior.Noise, MinerBehavior.Poison, MinerBehavior.Late];
        var ownerCold = Key("owner-cold");
        var validatorHot = Key("validator-hot");
        var colds = kinds.Select((_, i) => Key($"adv-cold-{i}")).ToArray();
        var hots = kinds.Select((_, i) => Key($"adv-hot-{i}")).ToArray();
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
        var setup = new SubnetSetup(1, ModelConfig.Tiny, SyntheticCorpus.Generate(512, 120_000, 7), new WindowClock(10, 7), innerSteps: 4, batchSize: 4);

        var miners = kinds.Select((k, i) => new MinerRole(setup, ledger, board, new FileArtifactStore(Path.Combine(_dir, $"store-m{i}")), colds[i], hots[i],
            Path.Combine(_dir, $"m{i}"), k)).ToArray();
        var validator = new ValidatorRole(setup, ledger, board, new FileArtifactStore(Path.Combine(_dir, "store-v")), ownerCold, validatorHot, Path.Combine(_dir, "v"));
        for (var b = 0; b < 200; b++)
        {
            node.ProduceBlock();
            await validator.TickAsync();
            foreach (var m in miners)
            {
                await m.TickAsync();
            }
        }

        // The validator's last window: the poison payload frames validly but its loss improvement averages negative; the late one is refused.
        var last = validator.Status.Miners.ToDictionary(r => r.Uid);
        var poison = last[(uint)miners[3].Status.Uid!.Value];
        var late = last[(uint)miners[4].Status.Uid!.Value];
        Assert.True(poison.Bma < 0 && poison.Weight == 0, $"poison was not found harmful: {poison}");
        Assert.True(late.Reason == RejectionReason.Late && late.Weight == 0, $"late: {late.Reason} {late.Message} weight {late.Weight}");
        Assert.Equal(0, last[(uint)miners[2].Status.Uid!.Value].Weight);

        var neurons = ledger.Neurons(1).ToDictionary(n => n.Uid);
        for (var i = 0; i < kinds.Length; i++)
        {
            var uid = (ushort)miners[i].Status.Uid!.Value;
            Assert.True(miners[i].Status.TrainedWindow is not null, $"{kinds[i]} miner {i} never produced a payload");
            if (kinds[i] == MinerBehavior.Honest)
            {
                Assert.True(neurons[uid].Incentive > 0, $"honest miner {i} (UID {uid}) has no incentive");
            }
            else
            {
                Assert.True(neurons[uid].Incentive == 0, $"{kinds[i]} miner {i} (UID {uid}) earned incentive {neurons[uid].Incentive}");
            }
        }
    }
}
