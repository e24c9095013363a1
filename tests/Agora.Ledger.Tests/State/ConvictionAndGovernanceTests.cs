using Agora.Ledger.Execution;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

public class ConvictionAndGovernanceTests
{
    private static readonly Agora.Ledger.Primitives.AccountId Hot = Id(Key(101));

    private static TestChain WithLock(ulong duration = ConvictionRules.MinDurationBlocks)
    {
        var chain = Standard();
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, 10 * Tao, duration)).Success);
        chain.Blocks(30);
        return chain;
    }

    [Fact]
    public void Locked_alpha_cannot_be_unstaked_until_the_lock_ends()
    {
        var chain = WithLock();
        var staked = chain.State.StakeOf(Hot, Id(Key(4)), 1);
        Assert.Equal(TxCode.StakeLocked, chain.Submit(Key(4), new RemoveStakeBody(Hot, 1, staked, 0)).Code);
        Assert.True(chain.Submit(Key(4), new RemoveStakeBody(Hot, 1, staked - (10 * Tao), 0)).Success);
        var end = chain.State.Locks[(Id(Key(4)), 1, Hot)].EndBlock;
        var rest = chain.State.StakeOf(Hot, Id(Key(4)), 1);
        var beforeEnd = chain.State.Clone();
        Assert.Equal(TxCode.StakeLocked, Assert.Throws<TxRejectedException>(() => StakingRules.RemoveStake(beforeEnd, Id(Key(4)), new RemoveStakeBody(Hot, 1, rest, 0), new BlockContext(end - 1, 0, Id(Key(250))))).Code);
        var atEnd = chain.State.Clone();
        StakingRules.RemoveStake(atEnd, Id(Key(4)), new RemoveStakeBody(Hot, 1, rest, 0), new BlockContext(end, 0, Id(Key(250))));
        Assert.Equal(0UL, atEnd.StakeOf(Hot, Id(Key(4)), 1));
    }

    [Fact]
    public void A_lock_needs_enough_stake_and_a_valid_duration()
    {
        var chain = Standard();
        Assert.Equal(TxCode.InsufficientStake, chain.Submit(Key(4), new LockBody(1, Hot, Tao, ConvictionRules.MinDurationBlocks)).Code);
        Assert.Equal(TxCode.InvalidDuration, chain.Submit(Key(4), new LockBody(1, Hot, Tao, 0)).Code);
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.Equal(TxCode.InvalidDuration, chain.Submit(Key(4), new LockBody(1, Hot, Tao, ConvictionRules.MinDurationBlocks - 1)).Code);
        Assert.Equal(TxCode.InvalidDuration, chain.Submit(Key(4), new LockBody(1, Hot, Tao, ConvictionRules.MaxDurationBlocks + 1)).Code);
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, Tao, ConvictionRules.MinDurationBlocks)).Success);
    }

    [Fact]
    public void Conviction_halves_every_three_thirty_day_intervals_without_a_top_up()
    {
        var l = ConvictionRules.Fresh(1_000_000_000, 10_000_000, 0);
        Assert.Equal(PoolMath.OneQ64, ConvictionRules.ConvictionQ64(l, 215_999));
        var one = ConvictionRules.ConvictionQ64(l, 216_000);
        Assert.True(one < PoolMath.OneQ64);
        var half = ConvictionRules.ConvictionQ64(l, 3 * 216_000);
        var exactHalf = PoolMath.OneQ64 / 2;
        Assert.True(UInt128.Max(half, exactHalf) - UInt128.Min(half, exactHalf) < PoolMath.OneQ64 / 1_000_000_000);
        Assert.Equal(UInt128.Zero, ConvictionRules.ConvictionQ64(l, 10_000_000));
        Assert.InRange(ConvictionRules.WeightedAlpha(l, 3 * 216_000), 499_999_990UL, 500_000_000UL);
    }

    [Fact]
    public void A_top_up_adds_to_the_lock_and_keeps_its_end_and_decay_phase()
    {
        var chain = WithLock(duration: 2 * ConvictionRules.MinDurationBlocks);
        var before = chain.State.Locks[(Id(Key(4)), 1, Hot)];
        Assert.True(chain.Submit(Key(4), new LockBody(1, Hot, Tao, ConvictionRules.MinDurationBlocks)).Success);
        var after = chain.State.Locks[(Id(Key(4)), 1, Hot)];
        Assert.Equal(before.Amount + Tao, after.Amount);
        Assert.Equal(before.EndBlock, after.EndBlock);
        Assert.Equal(before.ScoreBlock, after.ScoreBlock);
        Assert.Equal(PoolMath.OneQ64, after.ScoreQ64);
    }

    [Fact]
    public void A_proposal_with_majority_and_quorum_takes_effect_only_after_the_timelock()
    {
        var chain = WithLock();
        Assert.Equal(TxCode.NoConvictionWeight, chain.Submit(Key(5), new ProposeBody(GlobalParameter.MinTxFee, 5)).Code);
        Assert.Equal(TxCode.ParameterOutOfBounds, chain.Submit(Key(4), new ProposeBody(GlobalParameter.MinTxFee, 2 * Tao)).Code);
        Assert.True(chain.Submit(Key(4), new ProposeBody(GlobalParameter.MinTxFee, 5)).Success);
        Assert.Equal(TxCode.UnknownProposal, chain.Submit(Key(4), new VoteBody(9, true)).Code);
        Assert.True(chain.Submit(Key(4), new VoteBody(1, true)).Success);
        var p = chain.State.Proposals[1];
        while (chain.State.Height < p.VotingEndBlock)
        {
            chain.Produce();
        }

        Assert.Equal(ProposalStatus.Passed, chain.State.Proposals[1].Status);
        Assert.Equal(0UL, chain.State.Params.MinTxFee);
        Assert.Equal(TxCode.VotingClosed, chain.Submit(Key(4), new VoteBody(1, false), fee: 0).Code);
        while (chain.State.Height < chain.State.Proposals[1].ExecuteBlock)
        {
            chain.Produce();
        }

        Assert.Equal(ProposalStatus.Enacted, chain.State.Proposals[1].Status);
        Assert.Equal(5UL, chain.State.Params.MinTxFee);
        Assert.Equal(TxCode.FeeTooLow, chain.Submit(Key(4), new TransferBody(Id(Key(5)), 1), fee: 4).Code);
    }

    [Fact]
    public void A_proposal_without_quorum_or_majority_is_rejected()
    {
        var chain = WithLock();
        Assert.True(chain.Submit(Key(5), new AddStakeBody(Hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(5), new LockBody(1, Hot, 10 * Tao, ConvictionRules.MinDurationBlocks)).Success);
        Assert.True(chain.Submit(Key(4), new ProposeBody(GlobalParameter.MinTxFee, 5)).Success);
        Assert.True(chain.Submit(Key(4), new ProposeBody(GlobalParameter.MinTxFee, 6)).Success);
        Assert.True(chain.Submit(Key(4), new VoteBody(2, true)).Success);
        Assert.True(chain.Submit(Key(5), new VoteBody(2, false)).Success);
        Assert.True(chain.Submit(Key(5), new VoteBody(2, true)).Success);
        Assert.True(chain.Submit(Key(5), new VoteBody(2, false)).Success);
        chain.Blocks(25);
        Assert.Equal(ProposalStatus.Rejected, chain.State.Proposals[1].Status);
        Assert.Equal(ProposalStatus.Rejected, chain.State.Proposals[2].Status);
        Assert.True(chain.State.Proposals[2].NoWeight >= chain.State.Proposals[2].YesWeight);
    }
}

public class ConvictionOwnershipTests
{
    [Fact]
    public void At_a_thirty_day_boundary_the_hotkey_with_the_largest_conviction_lock_becomes_owner()
    {
        var chain = Standard(parameters: new GlobalParameters { MinTxFee = 0, MinLockCost = 100 * Tao, OwnershipMinAge = 0 });
        var challenger = Id(Key(103));
        chain.Produce(chain.Sign(Key(3), Reg(1, challenger, 10 * Tao)));
        Assert.True(chain.Submit(Key(4), new AddStakeBody(challenger, 1, 300 * Tao, 0)).Success);
        var staked = chain.State.StakeOf(challenger, Id(Key(4)), 1);
        Assert.True(chain.Submit(Key(4), new LockBody(1, challenger, staked, ConvictionRules.MaxDurationBlocks)).Success);

        var notBoundary = chain.State.Clone();
        ConvictionRules.ReassignOwnership(notBoundary, ConvictionRules.IntervalBlocks + 1);
        Assert.Equal(Id(Key(101)), notBoundary.Subnets[1].OwnerHotkey);

        var boundary = chain.State.Clone();
        ConvictionRules.ReassignOwnership(boundary, ConvictionRules.IntervalBlocks);
        Assert.Equal(challenger, boundary.Subnets[1].OwnerHotkey);
        Assert.Equal(Id(Key(3)), boundary.Subnets[1].OwnerColdkey);
        Assert.Equal(Id(Key(101)), chain.State.Subnets[1].OwnerHotkey);
    }

    [Fact]
    public void Ownership_does_not_move_when_locks_are_below_ten_percent_of_alpha_outstanding()
    {
        var chain = Standard(parameters: new GlobalParameters { MinTxFee = 0, MinLockCost = 100 * Tao, OwnershipMinAge = 0 });
        var challenger = Id(Key(103));
        chain.Produce(chain.Sign(Key(3), Reg(1, challenger, 10 * Tao)));
        Assert.True(chain.Submit(Key(4), new AddStakeBody(challenger, 1, 300 * Tao, 0)).Success);
        var staked = chain.State.StakeOf(challenger, Id(Key(4)), 1);
        Assert.True(chain.Submit(Key(4), new LockBody(1, challenger, staked / 20, ConvictionRules.MaxDurationBlocks)).Success);
        var s = chain.State.Clone();
        ConvictionRules.ReassignOwnership(s, ConvictionRules.IntervalBlocks);
        Assert.Equal(Id(Key(101)), s.Subnets[1].OwnerHotkey);
    }
}
