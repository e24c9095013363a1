using Agora.Ledger.App;
using Agora.Ledger.Blocks;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

public class BlockBoundaryTests
{
    [Fact]
    public void A_block_with_the_wrong_height_parent_or_timestamp_is_rejected_whole()
    {
        var chain = Standard();
        chain.Produce();
        var root = chain.Root;
        var good = chain.NextHeader();
        var tx = chain.Sign(Key(1), new TransferBody(Id(Key(2)), 1));
        Assert.Throws<BlockRejectedException>(() => chain.App.FinalizeBlock(good with { Height = good.Height + 1 }, [tx]));
        Assert.Throws<BlockRejectedException>(() => chain.App.FinalizeBlock(good with { ParentHash = Hash256.Of([1]) }, [tx]));
        Assert.Throws<BlockRejectedException>(() => chain.App.FinalizeBlock(good with { Timestamp = chain.App.LastTimestamp }, [tx]));
        Assert.Throws<InvalidOperationException>(() => chain.App.Commit());
        Assert.Equal(root, chain.Root);
        Assert.Equal(1UL, chain.App.Height);
        Assert.True(chain.App.FinalizeBlock(good, [tx]).Receipts[0].Success);
        chain.App.Commit();
        Assert.Equal(2UL, chain.App.Height);
    }

    [Fact]
    public void Block_encoding_round_trips_and_the_hash_commits_to_root_and_transactions()
    {
        var chain = Standard();
        var block = chain.Produce(chain.Sign(Key(1), new TransferBody(Id(Key(2)), 1))).Block;
        var decoded = Block.Decode(block.Encode());
        Assert.Equal(block.Hash, decoded.Hash);
        Assert.Equal(chain.App.LastBlockHash, block.Hash);
        Assert.NotEqual(block.Hash, (block with { StateRoot = Hash256.Zero }).Hash);
        Assert.NotEqual(block.Hash, (block with { Transactions = [] }).Hash);
        Assert.Throws<Agora.Core.Serialization.EncodingException>(() => Block.Decode([.. block.Encode(), 0]));
    }

    [Fact]
    public void Queries_report_accounts_pools_and_the_metagraph()
    {
        var chain = Standard();
        chain.Produce(
            chain.Sign(Key(3), Reg(1, Id(Key(103)), 10 * Tao)),
            chain.Sign(Key(4), new AddStakeBody(Id(Key(101)), 1, 10 * Tao, 0)));
        var q = chain.App.Query;
        var account = q.GetAccount(Id(Key(4)));
        Assert.Single(account.Stakes);
        Assert.True(account.Stakes[0].TaoValueAtSpot > 9 * Tao);
        var pool = Assert.Single(q.Pools());
        Assert.True(pool.SpotPriceRao > Tao);
        var meta = q.GetMetagraph(1)!;
        Assert.Equal(2, meta.Neurons.Count);
        Assert.Equal(Id(Key(103)), meta.Neurons[1].Hotkey);
        Assert.True(meta.Neurons[1].Immune);
        Assert.Null(q.GetMetagraph(9));
        Assert.Equal(chain.State.Height + Agora.Ledger.Execution.Schedule.BlocksUntilNextEpoch(1, 9, chain.State.Height), q.GetSubnet(1)!.NextEpochBlock);
    }
}
