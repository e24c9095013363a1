using Agora.Artifacts;
using Agora.Core.Crypto;
using Agora.Gauntlet.Simulation;
using Agora.Ledger.App;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Model;
using Agora.Node.Ledger;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Adversarial;

/// <summary>
/// A role whose hotkey holds a UID owned by another coldkey works for that coldkey: every reward and every stake it
/// adds go there (the situation a front-run registration created, or a hotkey shared between wallets). The roles
/// refuse to run instead. Here the hotkey is the subnet owner's (owned by the owner's coldkey since genesis) and the
/// role is started with a different coldkey.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class RoleHotkeyOwnershipTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-hotkey-owner-" + Guid.NewGuid().ToString("N"));
    private readonly Ed25519KeyPair _ownerCold = Key("owner-cold");
    private readonly Ed25519KeyPair _ownerHot = Key("owner-hot");
    private readonly Ed25519KeyPair _otherCold = Key("other-cold");
    private readonly LedgerNode _node;
    private readonly LocalSubnetLedger _ledger;
    private readonly SubnetSetup _setup;

    public RoleHotkeyOwnershipTests()
    {
        var genesis = new GenesisConfig
        {
            ChainId = "agora-test",
            Balances = [(new AccountId(_ownerCold.PublicKey), 10_000 * GlobalParameters.Tao), (new AccountId(_otherCold.PublicKey), 10_000 * GlobalParameters.Tao)],
            Subnets = [new GenesisSubnet(new AccountId(_ownerCold.PublicKey), new AccountId(_ownerHot.PublicKey), 1_000 * GlobalParameters.Tao, new SubnetHyperparameters { Tempo = 10 })],
        };
        _node = LedgerNode.Open(new NodeOptions { DataDirectory = Path.Combine(_dir, "node") }, genesis);
        _ledger = new LocalSubnetLedger(_node);
        _setup = new SubnetSetup(1, ModelConfig.Tiny, SyntheticCorpus.Generate(512, 20_000, 7), new WindowClock(10, 7), 1, batchSize: 4);
        _node.ProduceBlock();
    }

    [Fact]
    public async Task A_miner_whose_hotkey_is_owned_by_another_coldkey_refuses_to_run()
    {
        var miner = new MinerRole(_setup, _ledger, new LedgerCommitmentBoard(_ledger), new FileArtifactStore(Path.Combine(_dir, "store-m")), _otherCold, _ownerHot, Path.Combine(_dir, "m"));
        var e = await Assert.ThrowsAsync<HotkeyOwnershipException>(() => miner.TickAsync());
        Assert.Contains(new AccountId(_ownerCold.PublicKey).ToAddress(), e.Message);
        Assert.Contains("Refusing to run", e.Message);
    }

    [Fact]
    public async Task A_validator_whose_hotkey_is_owned_by_another_coldkey_refuses_to_run_and_stakes_nothing()
    {
        var before = _ledger.Balance(_otherCold.PublicKey);
        var validator = new ValidatorRole(_setup, _ledger, new LedgerCommitmentBoard(_ledger), new FileArtifactStore(Path.Combine(_dir, "store-v")), _otherCold, _ownerHot, Path.Combine(_dir, "v"));
        await Assert.ThrowsAsync<HotkeyOwnershipException>(() => validator.TickAsync());
        _node.ProduceBlock();
        Assert.Equal(before, _ledger.Balance(_otherCold.PublicKey));
    }

    [Fact]
    public void The_owner_check_passes_for_the_owning_coldkey_and_the_neuron_view_names_it()
    {
        var me = Assert.Single(_ledger.Neurons(1), n => n.Hotkey.AsSpan().SequenceEqual(_ownerHot.PublicKey));
        Assert.Equal(_ownerCold.PublicKey, me.Coldkey);
        HotkeyOwnership.Require(me, _ownerCold, 1);
        Assert.Throws<HotkeyOwnershipException>(() => HotkeyOwnership.Require(me with { Coldkey = null }, _ownerCold, 1));
    }

    public void Dispose()
    {
        _node.Dispose();
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
