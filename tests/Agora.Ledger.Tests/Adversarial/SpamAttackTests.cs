using System.Collections.Immutable;
using Agora.Ledger.App;
using Agora.Ledger.Execution;
using Agora.Ledger.State;
using Agora.Ledger.Tests.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.Adversarial;

/// <summary>Spam: free transactions and unlimited commitment rewrites.</summary>
[Trait("Category", "Adversarial")]
public class SpamAttackTests
{
    private static ImmutableArray<byte> Bytes(params byte[] b) => [.. b];

    private static TestChain WithMiner(ulong rateLimit)
    {
        var chain = Standard(parameters: new GlobalParameters { MinTxFee = 0, MinLockCost = 100 * Tao, SubnetImmunityBlocks = 10, CommitmentRateLimit = rateLimit });
        Assert.True(chain.Submit(Key(3), Reg(1, Id(Key(103)), 10 * Tao)).Success);
        return chain;
    }

    [Fact]
    public void FreeTransactionSpam_a_chain_with_default_parameters_refuses_a_zero_fee()
    {
        Assert.True(new GlobalParameters().MinTxFee > 0);
        var chain = new TestChain(new GenesisConfig { ChainId = ChainId, GenesisTimestamp = 1_000, Balances = [(Id(Key(1)), 10 * Tao)] });
        var fee = chain.State.Params.MinTxFee;
        Assert.Equal(TxCode.FeeTooLow, chain.Submit(Key(1), new TransferBody(Id(Key(2)), Tao), fee: 0).Code);
        Assert.Equal(TxCode.FeeTooLow, chain.Submit(Key(1), new TransferBody(Id(Key(2)), Tao), fee: fee - 1).Code);
        Assert.True(chain.Submit(Key(1), new TransferBody(Id(Key(2)), Tao), fee: fee).Success);
        Assert.Equal((10 * Tao) - Tao - fee, chain.State.GetAccount(Id(Key(1))).Balance);
    }

    [Fact]
    public void CommitmentSpam_a_hotkey_cannot_change_its_commitment_again_within_the_rate_limit()
    {
        var chain = WithMiner(rateLimit: 5);
        Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(1))).Success);
        var first = chain.State.Height;
        var refused = chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(2)));
        Assert.Equal(TxCode.CommitmentRateLimited, refused.Code);
        Assert.Contains("CommitmentRateLimit", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 1 }, chain.State.ArtifactCommitments[(1, Id(Key(103)))].Data.ToArray());

        while (chain.State.Height + 1 < first + 5)
        {
            Assert.Equal(TxCode.CommitmentRateLimited, chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(3))).Code);
        }

        Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(4))).Success);
        Assert.Equal(first + 5, chain.State.ArtifactCommitments[(1, Id(Key(103)))].Block);
    }

    [Fact]
    public void CommitmentSpam_reposting_the_same_bytes_is_a_no_op_that_keeps_the_original_block()
    {
        var chain = WithMiner(rateLimit: 5);
        Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(7, 7))).Success);
        var first = chain.State.Height;
        chain.Produce(chain.Sign(Key(103), new SetCommitmentBody(1, Bytes(7, 7))), chain.Sign(Key(103), new SetCommitmentBody(1, Bytes(7, 7)), nonce: chain.NextNonce(Key(103)) + 1));
        Assert.Equal(first, chain.State.ArtifactCommitments[(1, Id(Key(103)))].Block);
    }

    /// <summary>
    /// Honest miners commit once per training window, at or before the deadline offset, so two commitments are at
    /// least window − deadline blocks apart: (20, 14) on the devnet and (10, 7) in the role harness.
    /// </summary>
    [Theory]
    [InlineData(20UL, 14UL)]
    [InlineData(10UL, 7UL)]
    public void HonestMiners_one_commitment_per_window_at_the_deadline_then_the_next_window_start_passes_the_default_limit(ulong window, ulong deadline)
    {
        var chain = WithMiner(rateLimit: new GlobalParameters().CommitmentRateLimit);
        for (byte w = 1; w <= 3; w++)
        {
            // Worst case: this window's commitment lands on the deadline, the next window's on its first block.
            var target = w % 2 == 1 ? (w * window) + deadline : w * window;
            while (chain.State.Height + 1 < target)
            {
                chain.Produce();
            }

            var r = chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(w)));
            Assert.True(r.Success, $"window {w}: {r.Code} {r.Message}");

            // A restarted miner republishes the same commitment in the same window.
            Assert.True(chain.Submit(Key(103), new SetCommitmentBody(1, Bytes(w))).Success);
        }
    }
}
