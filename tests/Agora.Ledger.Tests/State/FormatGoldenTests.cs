using Agora.Ledger.App;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

/// <summary>Pins the persisted formats: a change to the state, snapshot or block encoding must be deliberate (bump the version).</summary>
public class FormatGoldenTests
{
    private static GenesisConfig Fixed() => new()
    {
        ChainId = "golden",
        GenesisTimestamp = 7,
        Balances = [(new AccountId(Enumerable.Repeat((byte)1, 32).ToArray()), 5 * Tao)],
        Subnets = [new GenesisSubnet(new AccountId(Enumerable.Repeat((byte)2, 32).ToArray()), new AccountId(Enumerable.Repeat((byte)3, 32).ToArray()), 10 * Tao, new SubnetHyperparameters())],
    };

    [Fact]
    public void State_encoding_starts_with_magic_and_version_and_its_root_is_pinned()
    {
        var state = LedgerApp.FromGenesis(Fixed()).State;
        var bytes = StateCodec.Encode(state);
        Assert.Equal("AGST"u8.ToArray(), bytes[..4]);
        Assert.Equal(new byte[] { 3, 0 }, bytes[4..6]);
        Assert.Equal(GoldenRoot, StateCodec.Root(state).ToHex());
    }

    [Fact]
    public void Snapshot_and_block_encodings_carry_their_magic_and_version()
    {
        var chain = Standard();
        var block = chain.Produce().Block.Encode();
        Assert.Equal("AGBK"u8.ToArray(), block[..4]);
        Assert.Equal(new byte[] { 1, 0 }, block[4..6]);
        var snapshot = chain.App.ExportSnapshot();
        Assert.Equal("AGSN"u8.ToArray(), snapshot[..4]);
        Assert.Equal(chain.App.LastBlockHash.ToBytes(), snapshot[6..38]);
    }

    // Recorded from the v3 encoding (v3: ProposalBond and CommitmentRateLimit parameters, non-zero default MinTxFee,
    // lock score/integral fields, proposal bond); if this changes, the state format changed: bump StateCodec.Version.
    private const string GoldenRoot = "25440c0196a673462d5e95f1f0cd928cde18ad8ca5ea50e3f0376f02df894a92";
}
