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
/// A whole subnet in one process for role tests: a real ledger node (SQLite, LedgerApp, Yuma) whose genesis funds the
/// owner and <c>minerCount</c> miner coldkeys, commitments on the ledger, and miners and a validator each with its own
/// artifact store and state directory under a temporary folder, driven block by block.
/// </summary>
internal sealed class SubnetHarness : IDisposable
{
    private readonly string _dir;
    private readonly Ed25519KeyPair _ownerCold = Key("owner-cold");
    private readonly Ed25519KeyPair _validatorHot = Key("validator-hot");
    private readonly Ed25519KeyPair[] _colds;
    private readonly Ed25519KeyPair[] _hots;
    private readonly ICommitmentBoard _board;

    public SubnetHarness(string name, string keyPrefix, int minerCount, int innerSteps)
    {
        _dir = Path.Combine(Path.GetTempPath(), $"agora-{name}-" + Guid.NewGuid().ToString("N"));
        _colds = Enumerable.Range(0, minerCount).Select(i => Key($"{keyPrefix}-cold-{i}")).ToArray();
        _hots = Enumerable.Range(0, minerCount).Select(i => Key($"{keyPrefix}-hot-{i}")).ToArray();
        var genesis = new GenesisConfig
        {
            ChainId = "agora-test",
            Balances = [(new AccountId(_ownerCold.PublicKey), 10_000 * GlobalParameters.Tao), .. _colds.Select(c => (new AccountId(c.PublicKey), 10_000 * GlobalParameters.Tao))],
            Subnets = [new GenesisSubnet(new AccountId(_ownerCold.PublicKey), new AccountId(_validatorHot.PublicKey), 1_000 * GlobalParameters.Tao,
                new SubnetHyperparameters { Tempo = 10, WeightsRateLimit = 0, ImmunityPeriod = 1000, MinBurn = 500_000, CommitRevealEnabled = true, RevealPeriodEpochs = 1 })],
        };
        Node = LedgerNode.Open(new NodeOptions { DataDirectory = Path.Combine(_dir, "node") }, genesis);
        Ledger = new LocalSubnetLedger(Node);
        _board = new LedgerCommitmentBoard(Ledger);
        Setup = new SubnetSetup(1, ModelConfig.Tiny, SyntheticCorpus.Generate(512, 120_000, 7), new WindowClock(10, 7), innerSteps, batchSize: 4);
    }

    public LedgerNode Node { get; }

    public LocalSubnetLedger Ledger { get; }

    public SubnetSetup Setup { get; }

    /// <summary>Miner <paramref name="i"/>; a second call with the same index restarts it from its state directory.</summary>
    public MinerRole NewMiner(int i, MinerBehavior behavior) =>
        new(Setup, Ledger, _board, new FileArtifactStore(Path.Combine(_dir, $"store-m{i}")), _colds[i], _hots[i], Path.Combine(_dir, $"m{i}"), behavior);

    /// <summary>The validator; a second call restarts it from its state directory.</summary>
    public ValidatorRole NewValidator() =>
        new(Setup, Ledger, _board, new FileArtifactStore(Path.Combine(_dir, "store-v")), _ownerCold, _validatorHot, Path.Combine(_dir, "v"));

    /// <summary>Produces <paramref name="blocks"/> blocks, ticking the validator and then every miner after each one.</summary>
    public async Task RunBlocks(int blocks, Func<ValidatorRole> validator, IReadOnlyList<MinerRole> miners)
    {
        for (var b = 0; b < blocks; b++)
        {
            Node.ProduceBlock();
            await validator().TickAsync();
            foreach (var m in miners)
            {
                await m.TickAsync();
            }
        }
    }

    public void Dispose()
    {
        Node.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Ed25519KeyPair Key(string name) => Ed25519KeyPair.FromSeed(Blake2b.Hash256(System.Text.Encoding.UTF8.GetBytes(name)));
}
