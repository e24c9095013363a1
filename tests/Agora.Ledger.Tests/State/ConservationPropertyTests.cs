using Agora.Ledger.App;
using Agora.Ledger.Economics;
using Agora.Ledger.State;

namespace Agora.Ledger.Tests.State;

public class ConservationPropertyTests
{
    private const int Blocks = 120;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Issuance_equals_balances_plus_pools_plus_burned_after_every_block_of_a_random_workload(int seed)
    {
        var chain = TestChain.Standard(subnets: 2);
        var work = new RandomWorkload(chain, seed);
        var applied = 0;
        TestChain.AssertConservation(chain.State);
        for (var b = 0; b < Blocks; b++)
        {
            var before = chain.State;
            var result = chain.Produce(work.NextBlock());
            applied += result.Receipts.Count(r => r.Success);
            var after = chain.State;
            TestChain.AssertConservation(after);

            // Nothing is minted outside the schedule: TAO issuance grows by at most this block's emission, and each
            // subnet's alpha issuance by at most twice its alpha emission (alpha_in ≤ emission, alpha_out = emission).
            var minted = after.TotalIssuance - before.TotalIssuance;
            Assert.InRange(minted, 0UL, BlockEmission.ForIssuance(before.TotalIssuance));
            foreach (var sn in after.Subnets.Values)
            {
                if (before.Subnets.TryGetValue(sn.Netuid, out var old) && old.RegisteredBlock == sn.RegisteredBlock)
                {
                    Assert.InRange(sn.AlphaIssuance - old.AlphaIssuance, 0UL, 2 * BlockEmission.ForIssuance(old.AlphaIssuance));
                }
            }
        }

        Assert.True(applied > Blocks / 3, $"The workload should apply many transactions; it applied {applied}. ");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Replaying_the_block_log_from_genesis_reproduces_every_state_root(int seed)
    {
        var chain = TestChain.Standard(subnets: 2);
        var work = new RandomWorkload(chain, seed);
        var roots = new List<Agora.Ledger.Primitives.Hash256>();
        for (var b = 0; b < 80; b++)
        {
            roots.Add(chain.Produce(work.NextBlock()).StateRoot);
        }

        var replica = LedgerApp.FromGenesis(chain.Genesis);
        for (var i = 0; i < chain.Log.Count; i++)
        {
            var block = Agora.Ledger.Blocks.Block.Decode(chain.Log[i].Encode());
            Assert.Equal(roots[i], replica.ReplayBlock(block).StateRoot);
        }

        Assert.Equal(chain.App.LastBlockHash, replica.LastBlockHash);
        Assert.Equal(chain.Root, replica.StateRoot);
    }

    [Fact]
    public void A_snapshot_restores_a_node_that_then_replays_to_the_same_root()
    {
        var chain = TestChain.Standard(subnets: 2);
        var work = new RandomWorkload(chain, 9);
        for (var b = 0; b < 40; b++)
        {
            chain.Produce(work.NextBlock());
        }

        var snapshot = chain.App.ExportSnapshot();
        var restored = LedgerApp.FromSnapshot(snapshot);
        Assert.Equal(chain.Root, restored.StateRoot);
        Assert.Equal(snapshot, restored.ExportSnapshot());
        for (var b = 0; b < 30; b++)
        {
            chain.Produce(work.NextBlock());
        }

        foreach (var block in chain.Log.Skip(40))
        {
            restored.ReplayBlock(block);
        }

        Assert.Equal(chain.Root, restored.StateRoot);
    }

    [Fact]
    public void A_replayed_block_with_a_wrong_state_root_is_rejected_whole()
    {
        var chain = TestChain.Standard();
        chain.Produce(chain.Sign(TestChain.Key(1), new Agora.Ledger.Transactions.TransferBody(TestChain.Id(TestChain.Key(2)), 5)));
        var replica = LedgerApp.FromGenesis(chain.Genesis);
        var forged = chain.Log[0] with { StateRoot = Agora.Ledger.Primitives.Hash256.Of([1]) };
        Assert.Throws<BlockRejectedException>(() => replica.ReplayBlock(forged));
        Assert.Equal(0UL, replica.Height);
        replica.ReplayBlock(chain.Log[0]);
        Assert.Equal(chain.Root, replica.StateRoot);
    }

    [Fact]
    public void State_encoding_round_trips_and_rejects_trailing_bytes()
    {
        var chain = TestChain.Standard(subnets: 2);
        var work = new RandomWorkload(chain, 11);
        for (var b = 0; b < 30; b++)
        {
            chain.Produce(work.NextBlock());
        }

        var bytes = StateCodec.Encode(chain.State);
        Assert.Equal(bytes, StateCodec.Encode(StateCodec.Decode(bytes)));
        Assert.Throws<Agora.Core.Serialization.EncodingException>(() => StateCodec.Decode([.. bytes, 0]));
        Assert.Throws<Agora.Core.Serialization.EncodingException>(() => StateCodec.Decode(bytes.AsSpan(0, bytes.Length - 1)));
    }
}
