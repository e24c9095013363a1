using System.Collections.Immutable;
using Agora.Ledger.App;
using Agora.Ledger.Execution;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

public class ArtifactCommitmentTests
{
    private static readonly Agora.Ledger.Primitives.AccountId Miner = Id(Key(103));

    /// <summary>Standard chain with hotkey 103 (owned by coldkey 3) registered on subnet 1.</summary>
    private static TestChain WithMiner()
    {
        var chain = Standard();
        Assert.True(chain.Submit(Key(3), Reg(1, Miner, 10 * Tao)).Success);
        return chain;
    }

    private static ImmutableArray<byte> Bytes(params byte[] b) => [.. b];

    [Fact]
    public void A_registered_hotkey_sets_a_commitment_that_the_query_returns_with_uid_and_block()
    {
        var chain = WithMiner();
        var receipt = chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(1, 2, 3)));
        Assert.True(receipt.Success, receipt.Message);
        var list = chain.App.Query.ArtifactCommitments(1);
        var c = Assert.Single(list);
        Assert.Equal(Miner, c.Hotkey);
        Assert.Equal(chain.State.UidOf(1, Miner), c.Uid);
        Assert.Equal(new byte[] { 1, 2, 3 }, c.Data.ToArray());
        Assert.Equal(chain.State.Height, c.Block);
        Assert.Empty(chain.App.Query.Commitments(1));
        Assert.Empty(chain.App.Query.ArtifactCommitments(2));
    }

    [Fact]
    public void A_second_commitment_replaces_the_first_and_records_the_new_block()
    {
        var chain = WithMiner();
        Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(1))).Success);
        var first = chain.State.Height;
        chain.Blocks(2);
        Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(9, 9))).Success);
        var c = Assert.Single(chain.App.Query.ArtifactCommitments(1));
        Assert.Equal(new byte[] { 9, 9 }, c.Data.ToArray());
        Assert.Equal(chain.State.Height, c.Block);
        Assert.NotEqual(first, c.Block);
    }

    [Fact]
    public void A_commitment_of_exactly_the_limit_is_accepted()
    {
        var chain = WithMiner();
        var data = Enumerable.Range(0, SetCommitmentBody.MaxDataBytes).Select(i => (byte)i).ToImmutableArray();
        Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, data)).Success);
        Assert.Equal(SetCommitmentBody.MaxDataBytes, chain.App.Query.ArtifactCommitments(1)[0].Data.Length);
    }

    public static TheoryData<string> RejectionCases() => new(Rejections().Keys);

    private static Dictionary<string, (Func<TestChain, byte[]> Tx, TxCode Code)> Rejections() => new()
    {
        ["unknown subnet"] = (c => c.Sign(Key(103), new SetCommitmentBody(77, Bytes(1))), TxCode.UnknownSubnet),
        ["unregistered hotkey"] = (c => c.Sign(Key(104), new SetCommitmentBody(1, Bytes(1))), TxCode.HotkeyNotRegistered),
        ["coldkey instead of hotkey"] = (c => c.Sign(Key(3), new SetCommitmentBody(1, Bytes(1))), TxCode.HotkeyNotRegistered),
        ["oversize data"] = (c => c.Sign(Key(103), new SetCommitmentBody(1, new byte[SetCommitmentBody.MaxDataBytes + 1].ToImmutableArray())), TxCode.CommitmentTooLarge),
    };

    [Theory]
    [MemberData(nameof(RejectionCases))]
    public void A_rejected_commitment_changes_nothing(string name)
    {
        var (tx, code) = Rejections()[name];
        var with = WithMiner();
        var without = WithMiner();
        Assert.True(with.Submit(Key(103), new SetCommitmentBody(1, Bytes(5))).Success);
        Assert.True(without.Submit(Key(103), new SetCommitmentBody(1, Bytes(5))).Success);
        Assert.Equal(without.Root, with.Root);
        var bytes = tx(with);
        Assert.Equal(code, with.App.CheckTx(bytes).Code);
        var receipt = with.Produce(bytes).Receipts[0];
        without.Produce();
        Assert.Equal(code, receipt.Code);
        Assert.Equal(without.Root, with.Root);
        Assert.Equal(new byte[] { 5 }, Assert.Single(with.App.Query.ArtifactCommitments(1)).Data.ToArray());
    }

    [Fact]
    public void Commitments_change_the_state_root_and_survive_snapshot_and_replay()
    {
        var chain = WithMiner();
        var before = chain.Root;
        Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(7, 7, 7))).Success);
        Assert.NotEqual(before, chain.Root);

        var restored = LedgerApp.FromSnapshot(chain.App.ExportSnapshot());
        Assert.Equal(chain.Root, restored.StateRoot);
        Assert.Equal(new byte[] { 7, 7, 7 }, Assert.Single(restored.Query.ArtifactCommitments(1)).Data.ToArray());

        var replica = LedgerApp.FromGenesis(chain.Genesis);
        foreach (var block in chain.Log)
        {
            replica.ReplayBlock(block);
        }

        Assert.Equal(chain.Root, replica.StateRoot);
        Assert.Equal(chain.App.Query.ArtifactCommitments(1), replica.Query.ArtifactCommitments(1), new InfoComparer());
    }

    [Fact]
    public void A_replaced_uid_loses_its_commitment()
    {
        var chain = Standard(h => h with { MaxAllowedUids = 2, ImmunityPeriod = 1 });
        Assert.True(chain.Submit(Key(3), Reg(1, Miner, 10 * Tao)).Success);
        Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(1))).Success);
        chain.Blocks(3);
        var receipt = chain.Submit(Key(4), Reg(1, Id(Key(104)), 10 * Tao));
        Assert.True(receipt.Success, receipt.Message);
        Assert.Null(chain.State.UidOf(1, Miner));
        Assert.Empty(chain.App.Query.ArtifactCommitments(1));
    }

    private sealed class InfoComparer : IEqualityComparer<ArtifactCommitmentInfo>
    {
        public bool Equals(ArtifactCommitmentInfo? x, ArtifactCommitmentInfo? y) =>
            x is not null && y is not null && x.Netuid == y.Netuid && x.Hotkey == y.Hotkey && x.Uid == y.Uid && x.Block == y.Block && x.Data.SequenceEqual(y.Data);

        public int GetHashCode(ArtifactCommitmentInfo obj) => obj.Uid;
    }
}
