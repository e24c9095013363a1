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
/// artifact store and state directory under a temporary folder, driven block by block. Validator 0 is the subnet owner's
/// hotkey; <c>validatorCount</c> − 1 more validators get funded coldkeys of their own. Block timestamps come from a
/// fixed clock, so two harnesses built with the same arguments (and the same <c>directory</c>, since store locations go
/// on chain) run bit-identical subnets.
/// </summary>
internal sealed class SubnetHarness : IDisposable
{
    private readonly string _dir;
    private readonly Ed25519KeyPair _ownerCold = Key("owner-cold");
    private readonly Ed25519KeyPair _validatorHot = Key("validator-hot");
    private readonly Ed25519KeyPair[] _colds;
    private readonly Ed25519KeyPair[] _hots;
    private readonly Ed25519KeyPair[] _validatorColds;
    private readonly Ed25519KeyPair[] _validatorHots;
    private readonly ICommitmentBoard _board;

    public SubnetHarness(string name, string keyPrefix, int minerCount, int innerSteps, int validatorCount = 1, string? directory = null,
        Func<SubnetHyperparameters, SubnetHyperparameters>? hyperparameters = null)
    {
        _dir = directory ?? Path.Combine(Path.GetTempPath(), $"agora-{name}-" + Guid.NewGuid().ToString("N"));
        _colds = Enumerable.Range(0, minerCount).Select(i => Key($"{keyPrefix}-cold-{i}")).ToArray();
        _hots = Enumerable.Range(0, minerCount).Select(i => Key($"{keyPrefix}-hot-{i}")).ToArray();
        _validatorColds = [_ownerCold, .. Enumerable.Range(1, validatorCount - 1).Select(i => Key($"validator{i}-cold"))];
        _validatorHots = [_validatorHot, .. Enumerable.Range(1, validatorCount - 1).Select(i => Key($"validator{i}-hot"))];
        var genesis = new GenesisConfig
        {
            ChainId = "agora-test",
            Balances = [.. _validatorColds.Select(c => (new AccountId(c.PublicKey), 10_000 * GlobalParameters.Tao)), .. _colds.Select(c => (new AccountId(c.PublicKey), 10_000 * GlobalParameters.Tao))],
            Subnets = [new GenesisSubnet(new AccountId(_ownerCold.PublicKey), new AccountId(_validatorHot.PublicKey), 1_000 * GlobalParameters.Tao,
                (hyperparameters ?? (h => h))(new SubnetHyperparameters { Tempo = 10, WeightsRateLimit = 0, ImmunityPeriod = 1000, MinBurn = 500_000, CommitRevealEnabled = true, RevealPeriodEpochs = 1 }))],
        };
        Node = LedgerNode.Open(new NodeOptions { DataDirectory = Path.Combine(_dir, "node") }, genesis, new FixedClock());
        Ledger = new LocalSubnetLedger(Node);
        _board = new LedgerCommitmentBoard(Ledger);
        Setup = new SubnetSetup(1, ModelConfig.Tiny, SyntheticCorpus.Generate(512, 120_000, 7), new WindowClock(10, 7), innerSteps, batchSize: 4);
    }

    public LedgerNode Node { get; }

    /// <summary>The folder everything of this subnet lives in (the roles' default peer store root).</summary>
    public string Directory => _dir;

    public ICommitmentBoard Board => _board;

    /// <summary>Miner <paramref name="i"/>'s funded coldkey and its hotkey, for a test's own hand-made neuron.</summary>
    public (Ed25519KeyPair Cold, Ed25519KeyPair Hot) MinerKeys(int i) => (_colds[i], _hots[i]);

    /// <summary>Validator <paramref name="i"/>'s hotkey, for a test that plays a malicious validator.</summary>
    public Ed25519KeyPair ValidatorHotkey(int i) => _validatorHots[i];

    public LocalSubnetLedger Ledger { get; }

    public SubnetSetup Setup { get; }

    /// <summary>Miner <paramref name="i"/>; a second call with the same index restarts it from its state directory.</summary>
    public MinerRole NewMiner(int i, MinerBehavior behavior) =>
        new(Setup, Ledger, _board, new FileArtifactStore(Path.Combine(_dir, $"store-m{i}")), _colds[i], _hots[i], Path.Combine(_dir, $"m{i}"), behavior);

    /// <summary>The validator; a second call restarts it from its state directory.</summary>
    public ValidatorRole NewValidator() => NewValidator(0);

    /// <summary>Validator <paramref name="i"/> (0 is the owner's hotkey), posting to <paramref name="board"/> (default: the ledger's); a second call with the same index restarts it from its state directory.</summary>
    public ValidatorRole NewValidator(int i, ulong stakeRao = 100 * GlobalParameters.Tao, ICommitmentBoard? board = null) =>
        new(Setup, Ledger, board ?? _board, new FileArtifactStore(ValidatorStoreDirectory(i)), _validatorColds[i], _validatorHots[i], ValidatorStateDirectory(i), stakeRao);

    public string ValidatorStateDirectory(int i) => Path.Combine(_dir, i == 0 ? "v" : $"v{i}");

    public string ValidatorStoreDirectory(int i) => Path.Combine(_dir, i == 0 ? "store-v" : $"store-v{i}");

    /// <summary>Produces <paramref name="blocks"/> blocks, ticking the validator and then every miner after each one.</summary>
    public Task RunBlocks(int blocks, Func<ValidatorRole> validator, IReadOnlyList<MinerRole> miners) => RunBlocks(blocks, () => [validator()], miners);

    /// <summary>Produces <paramref name="blocks"/> blocks, ticking every validator in order and then every miner after each one.</summary>
    public async Task RunBlocks(int blocks, Func<IReadOnlyList<ValidatorRole>> validators, IReadOnlyList<MinerRole> miners)
    {
        for (var b = 0; b < blocks; b++)
        {
            Node.ProduceBlock();
            foreach (var v in validators())
            {
                await v.TickAsync();
            }

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
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // One instant for every block: the ledger makes each timestamp one millisecond after the last, so runs repeat exactly.
    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static Ed25519KeyPair Key(string name) => Ed25519KeyPair.FromSeed(Blake2b.Hash256(System.Text.Encoding.UTF8.GetBytes(name)));
}
