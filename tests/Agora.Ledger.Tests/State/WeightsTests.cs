using Agora.Ledger.Consensus;
using Agora.Ledger.Execution;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

public class WeightsTests
{
    private static TestChain WithNeurons(bool commitReveal = false)
    {
        var chain = Standard(h => h with { Tempo = 20, CommitRevealEnabled = commitReveal, WeightsRateLimit = 5 });
        chain.Produce(
            chain.Sign(Key(3), Reg(1, Id(Key(103)), 10 * Tao)),
            chain.Sign(Key(4), Reg(1, Id(Key(104)), 10 * Tao)));
        return chain;
    }

    [Fact]
    public void Set_weights_stores_the_row_sorted_by_uid_and_max_upscaled()
    {
        var chain = WithNeurons();
        Assert.True(chain.Submit(Key(101), new SetWeightsBody(1, U16(2, 1), U16(100, 50), 0)).Success);
        var expected = WeightScaling.MaxUpscale(new ushort[] { 50, 100 });
        var row = chain.State.WeightsOf(1, 0);
        Assert.Equal(new ushort[] { 1, 2 }, row.Select(e => e.Uid));
        Assert.Equal(expected, row.Select(e => e.Value));
        Assert.Equal(65_535, row[1].Value);
        Assert.Equal(chain.State.Height, chain.State.Neurons[(1, 0)].LastUpdate);
    }

    [Fact]
    public void Set_weights_rejects_duplicates_mismatched_lengths_empty_rows_and_strangers()
    {
        var chain = WithNeurons();
        Assert.Equal(TxCode.DuplicateUid, chain.Submit(Key(101), new SetWeightsBody(1, U16(1, 1), U16(1, 2), 0)).Code);
        Assert.Equal(TxCode.WeightsLengthMismatch, chain.Submit(Key(101), new SetWeightsBody(1, U16(1, 2), U16(1), 0)).Code);
        Assert.Equal(TxCode.EmptyWeights, chain.Submit(Key(101), new SetWeightsBody(1, U16(), U16(), 0)).Code);
        Assert.Equal(TxCode.UnknownUid, chain.Submit(Key(101), new SetWeightsBody(1, U16(3), U16(1), 0)).Code);
        Assert.Equal(TxCode.HotkeyNotRegistered, chain.Submit(Key(105), new SetWeightsBody(1, U16(1), U16(1), 0)).Code);
    }

    [Fact]
    public void Set_weights_is_rate_limited()
    {
        var chain = WithNeurons();
        Assert.True(chain.Submit(Key(101), new SetWeightsBody(1, U16(1), U16(1), 0)).Success);
        Assert.Equal(TxCode.RateLimited, chain.Submit(Key(101), new SetWeightsBody(1, U16(2), U16(1), 0)).Code);
        chain.Blocks(5);
        Assert.True(chain.Submit(Key(101), new SetWeightsBody(1, U16(2), U16(1), 0)).Success);
    }

    [Fact]
    public void Commit_reveal_accepts_the_matching_reveal_only_in_the_next_epoch()
    {
        var chain = WithNeurons(commitReveal: true);
        byte[] salt = [1, 2, 3];
        var hotkey = Id(Key(101));
        var hash = WeightCommitHash.Compute(hotkey, 1, [1, 2], [10, 20], salt);
        Assert.Equal(TxCode.CommitRevealEnabled, chain.Submit(Key(101), new SetWeightsBody(1, U16(1), U16(1), 0)).Code);
        Assert.True(chain.Submit(Key(101), new CommitWeightsBody(1, hash)).Success);
        Assert.Single(chain.App.Query.Commitments(1));
        var reveal = new RevealWeightsBody(1, U16(1, 2), U16(10, 20), [.. salt], 0);
        Assert.Equal(TxCode.RevealTooEarly, chain.Submit(Key(101), reveal).Code);
        chain.Blocks((int)Schedule.BlocksUntilNextEpoch(1, 20, chain.State.Height));
        Assert.Equal(TxCode.NoMatchingCommit, chain.Submit(Key(101), reveal with { Salt = [9] }).Code);
        Assert.Equal(TxCode.NoMatchingCommit, chain.Submit(Key(103), new RevealWeightsBody(1, U16(1, 2), U16(10, 20), [.. salt], 0)).Code);
        Assert.True(chain.Submit(Key(101), reveal).Success);
        Assert.Equal(new ushort[] { 1, 2 }, chain.State.WeightsOf(1, 0).Select(e => e.Uid));
        Assert.Empty(chain.App.Query.Commitments(1));
    }

    [Fact]
    public void Unrevealed_commits_expire_after_their_reveal_epoch()
    {
        var chain = WithNeurons(commitReveal: true);
        var hash = WeightCommitHash.Compute(Id(Key(101)), 1, [1], [10], [7]);
        Assert.True(chain.Submit(Key(101), new CommitWeightsBody(1, hash)).Success);
        chain.Blocks(45);
        Assert.Empty(chain.App.Query.Commitments(1));
        Assert.Equal(TxCode.NoMatchingCommit, chain.Submit(Key(101), new RevealWeightsBody(1, U16(1), U16(10), [7], 0)).Code);
    }

    [Fact]
    public void The_commit_hash_covers_hotkey_netuid_uids_values_and_salt()
    {
        var h = WeightCommitHash.Compute(Id(Key(101)), 1, [1], [10], [7]);
        Assert.NotEqual(h, WeightCommitHash.Compute(Id(Key(102)), 1, [1], [10], [7]));
        Assert.NotEqual(h, WeightCommitHash.Compute(Id(Key(101)), 2, [1], [10], [7]));
        Assert.NotEqual(h, WeightCommitHash.Compute(Id(Key(101)), 1, [2], [10], [7]));
        Assert.NotEqual(h, WeightCommitHash.Compute(Id(Key(101)), 1, [1], [11], [7]));
        Assert.NotEqual(h, WeightCommitHash.Compute(Id(Key(101)), 1, [1], [10], [8]));
    }
}
