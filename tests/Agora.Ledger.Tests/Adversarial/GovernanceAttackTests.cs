using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Tests.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.Adversarial;

/// <summary>Attacks on headless governance: recycling one bankroll through many coldkeys, flash locks, proposal spam.</summary>
[Trait("Category", "Adversarial")]
public class GovernanceAttackTests
{
    private static readonly AccountId Hot = Id(Key(101));

    /// <summary>A standard chain after 30 blocks, so the subnet's EMA price (which values locks) is above zero.</summary>
    private static TestChain Chain(ulong votingPeriod = 60, ulong timelock = 10, ulong bond = 100 * Tao)
    {
        var chain = Standard(parameters: new GlobalParameters
        {
            MinTxFee = 0, MinLockCost = 100 * Tao, SubnetImmunityBlocks = 10, GovernanceVotingPeriod = votingPeriod, GovernanceTimelock = timelock, ProposalBond = bond,
        });
        chain.Blocks(30);
        return chain;
    }

    /// <summary>Coldkey 9 stakes, locks for the longest duration and proposes MinTxFee = 1 TAO (proposal 1); it does not vote.</summary>
    private static void Propose(TestChain chain)
    {
        Assert.True(chain.Submit(Key(9), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(9), new LockBody(1, Hot, Tao, ConvictionRules.MaxDurationBlocks)).Success);
        var r = chain.Submit(Key(9), new ProposeBody(GlobalParameter.MinTxFee, Tao));
        Assert.True(r.Success, r.Message);
    }

    /// <summary>Locks all of the coldkey's stake on the hot key: a two-block lock (long enough to vote in the next block) if the ledger accepts one, else the shortest allowed.</summary>
    private static void LockEverything(TestChain chain, byte key)
    {
        var staked = chain.State.StakeOf(Hot, Id(Key(key)), 1);
        if (!chain.Submit(Key(key), new LockBody(1, Hot, staked, 2)).Success)
        {
            Assert.True(chain.Submit(Key(key), new LockBody(1, Hot, staked, ConvictionRules.MinDurationBlocks)).Success);
        }
    }

    [Fact]
    public void VoteRecycling_one_bankroll_passed_through_many_coldkeys_never_outweighs_one_coldkey()
    {
        var chain = Chain();
        Propose(chain);
        byte[] keys = [20, 21, 22, 23];
        Assert.True(chain.Submit(Key(4), new TransferBody(Id(Key(keys[0])), 5_000 * Tao)).Success);
        foreach (var (k, i) in keys.Select((k, i) => (k, i)))
        {
            var balance = chain.State.GetAccount(Id(Key(k))).Balance;
            if (balance > 0)
            {
                chain.Submit(Key(k), new AddStakeBody(Hot, 1, balance, 0));
            }

            if (chain.State.StakeOf(Hot, Id(Key(k)), 1) > 0)
            {
                LockEverything(chain, k);
            }

            chain.Submit(Key(k), new VoteBody(1, true));
            chain.Blocks(2);
            var staked = chain.State.StakeOf(Hot, Id(Key(k)), 1);
            if (staked > 0)
            {
                chain.Submit(Key(k), new RemoveStakeBody(Hot, 1, staked, 0));
            }

            var left = chain.State.GetAccount(Id(Key(k))).Balance;
            if (i + 1 < keys.Length && left > 0)
            {
                chain.Submit(Key(k), new TransferBody(Id(Key(keys[i + 1])), left));
            }
        }

        var p = chain.State.Proposals[1];
        Assert.True(chain.State.Height < p.VotingEndBlock, "the attack must fit inside the voting period");
        while (chain.State.Proposals[1].Status == ProposalStatus.Voting)
        {
            chain.Produce();
        }

        var tallied = chain.State.Proposals[1];
        var oneColdkey = keys.Select(k => ConvictionRules.GovernanceWeight(chain.State, Id(Key(k)), chain.State.Height)).Max();
        Assert.True(tallied.YesWeight > 0, "the bankroll's first vote should count");
        Assert.True(tallied.YesWeight <= oneColdkey, $"yes weight {tallied.YesWeight} exceeds the largest single coldkey's weight {oneColdkey}");
    }

    [Fact]
    public void VoteThenUnstake_alpha_behind_a_live_vote_cannot_be_unstaked()
    {
        var chain = Chain();
        Propose(chain);
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        LockEverything(chain, 4);
        Assert.True(chain.Submit(Key(4), new VoteBody(1, true)).Success);
        chain.Blocks(2);
        var staked = chain.State.StakeOf(Hot, Id(Key(4)), 1);
        Assert.Equal(TxCode.StakeLocked, chain.Submit(Key(4), new RemoveStakeBody(Hot, 1, staked, 0)).Code);

        // Still refused on the last block before voting end plus timelock.
        var p = chain.State.Proposals[1];
        var lastBlock = p.VotingEndBlock + chain.State.Params.GovernanceTimelock - 1;
        var late = chain.State.Clone();
        var e = Assert.Throws<TxRejectedException>(() => StakingRules.RemoveStake(late, Id(Key(4)), new RemoveStakeBody(Hot, 1, staked, 0), new BlockContext(lastBlock, 0, Id(Key(250)))));
        Assert.Equal(TxCode.StakeLocked, e.Code);
    }

    [Fact]
    public void ShortLockVote_a_lock_that_ends_before_voting_end_plus_timelock_cannot_vote()
    {
        // Voting plus timelock outlast the shortest lock.
        var chain = Chain(votingPeriod: ConvictionRules.MinDurationBlocks, timelock: 1_000);
        Propose(chain);
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, 10 * Tao, ConvictionRules.MinDurationBlocks)).Success);
        var refused = chain.Submit(Key(4), new VoteBody(1, true));
        Assert.Equal(TxCode.NoConvictionWeight, refused.Code);
        Assert.Contains("locked until", refused.Message, StringComparison.Ordinal);

        // Extending the same lock past voting end plus timelock makes the vote count.
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, 0, 2 * ConvictionRules.MinDurationBlocks)).Success);
        Assert.True(chain.Submit(Key(4), new VoteBody(1, true)).Success);
    }

    [Fact]
    public void LateTopUp_votes_are_weighed_from_the_locks_at_the_tally()
    {
        var chain = Chain();
        Propose(chain);
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, Tao, ConvictionRules.MinDurationBlocks)).Success);
        Assert.True(chain.Submit(Key(4), new VoteBody(1, true)).Success);
        var atCast = chain.State.Votes[(1, Id(Key(4)))].Weight;
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, 9 * Tao, ConvictionRules.MinDurationBlocks)).Success);
        while (chain.State.Proposals[1].Status == ProposalStatus.Voting)
        {
            chain.Produce();
        }

        var yes = chain.State.Proposals[1].YesWeight;
        Assert.True(yes > atCast * 5, $"yes {yes} should reflect the 10-TAO lock at the tally, not the 1-TAO lock at the vote ({atCast})");
        Assert.Equal(yes, chain.State.Votes[(1, Id(Key(4)))].Weight);
    }

    [Fact]
    public void ProposalSpam_the_bond_is_burned_without_quorum_and_returned_with_quorum()
    {
        var chain = Chain();
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, 10 * Tao, ConvictionRules.MinDurationBlocks)).Success);
        var bond = chain.State.Params.ProposalBond;
        Assert.True(bond > 0);

        // No votes: no quorum, the bond is burned.
        var before = chain.State.GetAccount(Id(Key(4))).Balance;
        var burned = chain.State.TotalBurned;
        Assert.True(chain.Submit(Key(4), new ProposeBody(GlobalParameter.MaxSubnets, 64)).Success);
        Assert.Equal(before - bond, chain.State.GetAccount(Id(Key(4))).Balance);
        while (chain.State.Proposals[1].Status == ProposalStatus.Voting)
        {
            chain.Produce();
        }

        Assert.Equal(ProposalStatus.Rejected, chain.State.Proposals[1].Status);
        Assert.Equal(burned + bond, chain.State.TotalBurned);
        Assert.Equal(before - bond, chain.State.GetAccount(Id(Key(4))).Balance);
        AssertConservation(chain.State);

        // A vote with all the conviction weight reaches quorum: the bond comes back, even though the proposal fails.
        var before2 = chain.State.GetAccount(Id(Key(4))).Balance;
        Assert.True(chain.Submit(Key(4), new ProposeBody(GlobalParameter.MaxSubnets, 64)).Success);
        Assert.True(chain.Submit(Key(4), new VoteBody(2, false)).Success);
        while (chain.State.Proposals[2].Status == ProposalStatus.Voting)
        {
            chain.Produce();
        }

        Assert.Equal(ProposalStatus.Rejected, chain.State.Proposals[2].Status);
        Assert.Equal(before2, chain.State.GetAccount(Id(Key(4))).Balance);
        Assert.Equal(burned + bond, chain.State.TotalBurned);
        AssertConservation(chain.State);
    }

    [Fact]
    public void ProposalSpam_a_proposal_needs_the_bond_in_free_balance()
    {
        var chain = Chain(bond: 20_000 * Tao);
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, 10 * Tao, ConvictionRules.MinDurationBlocks)).Success);
        Assert.Equal(TxCode.InsufficientBalance, chain.Submit(Key(4), new ProposeBody(GlobalParameter.MaxSubnets, 64)).Code);
        Assert.Empty(chain.State.Proposals);
    }

    [Fact]
    public void ProposalSlotFilling_one_coldkey_cannot_hold_more_than_the_per_proposer_cap()
    {
        var chain = Chain();
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, 10 * Tao, ConvictionRules.MinDurationBlocks)).Success);
        for (var i = 0; i < GovernanceRules.MaxOpenProposalsPerProposer; i++)
        {
            Assert.True(chain.Submit(Key(4), new ProposeBody(GlobalParameter.MaxSubnets, 64 + (ulong)i)).Success);
        }

        var refused = chain.Submit(Key(4), new ProposeBody(GlobalParameter.MaxSubnets, 100));
        Assert.Equal(TxCode.TooManyProposals, refused.Code);
        Assert.Equal(GovernanceRules.MaxOpenProposalsPerProposer, chain.State.Proposals.Count);

        // Another coldkey is not blocked by the first one's proposals.
        Assert.True(chain.Submit(Key(5), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(5), new LockBody(1, Hot, 10 * Tao, ConvictionRules.MinDurationBlocks)).Success);
        Assert.True(chain.Submit(Key(5), new ProposeBody(GlobalParameter.MaxSubnets, 100)).Success);
    }
}
