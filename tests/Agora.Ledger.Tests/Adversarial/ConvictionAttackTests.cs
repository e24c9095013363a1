using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Tests.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.Adversarial;

/// <summary>Attacks on conviction: a flash lock at the 30-day ownership boundary, a dust top-up that resets conviction.</summary>
[Trait("Category", "Adversarial")]
public class ConvictionAttackTests
{
    private const ulong I = ConvictionRules.IntervalBlocks;
    private static readonly AccountId Honest = Id(Key(103));
    private static readonly AccountId Attacker = Id(Key(106));

    /// <summary>
    /// Subnet 1 with hotkeys 103 (coldkey 3) and 106 (coldkey 6). Coldkey 5 stakes to 106 first (the cheap alpha),
    /// coldkey 4 stakes to 103 and locks all of it for four years right away: the long-held lock.
    /// </summary>
    private static (TestChain Chain, ulong HonestLock, ulong AttackerStake) World()
    {
        var chain = Standard(parameters: new GlobalParameters { MinTxFee = 0, MinLockCost = 100 * Tao, OwnershipMinAge = 0 });
        chain.Produce(chain.Sign(Key(3), Reg(1, Honest, 10 * Tao)), chain.Sign(Key(6), Reg(1, Attacker, 10 * Tao)));
        Assert.True(chain.Submit(Key(5), new AddStakeBody(Attacker, 1, 300 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Honest, 1, 2_000 * Tao, 0)).Success);
        var honest = chain.State.StakeOf(Honest, Id(Key(4)), 1);
        Assert.True(chain.Submit(Key(4), new LockBody(1, Honest, honest, ConvictionRules.MaxDurationBlocks)).Success);
        return (chain, honest, chain.State.StakeOf(Attacker, Id(Key(5)), 1));
    }

    private static void LockAt(LedgerState s, byte coldkey, AccountId hotkey, ulong amount, ulong height) =>
        ConvictionRules.Lock(s, Id(Key(coldkey)), new LockBody(1, hotkey, amount, ConvictionRules.MinDurationBlocks), new BlockContext(height, 0, Id(Key(250))));

    [Fact]
    public void FlashLockAtOwnershipBoundary_a_lock_made_one_block_before_the_boundary_takes_nothing()
    {
        var (chain, honest, attacker) = World();
        Assert.True(attacker > honest, $"the attacker must out-lock the honest holder ({attacker} vs {honest}) for the test to mean anything");
        var s = chain.State.Clone();
        LockAt(s, 5, Attacker, attacker, I - 1);
        ConvictionRules.ReassignOwnership(s, I);
        Assert.Equal(Honest, s.Subnets[1].OwnerHotkey);
        Assert.Equal(Id(Key(3)), s.Subnets[1].OwnerColdkey);
    }

    [Fact]
    public void MidIntervalLock_a_long_held_lock_beats_a_bigger_lock_held_for_half_the_interval()
    {
        var (chain, honest, attacker) = World();
        var amount = honest * 3 / 2;
        Assert.True(attacker >= amount);
        var s = chain.State.Clone();
        LockAt(s, 5, Attacker, amount, I / 2);
        ConvictionRules.ReassignOwnership(s, I);
        Assert.Equal(Honest, s.Subnets[1].OwnerHotkey);
    }

    [Fact]
    public void FlashLock_a_lock_held_for_the_whole_next_interval_wins_the_next_boundary()
    {
        var (chain, honest, attacker) = World();
        var s = chain.State.Clone();
        LockAt(s, 5, Attacker, attacker, I - 1);
        ConvictionRules.ReassignOwnership(s, I);
        Assert.Equal(Honest, s.Subnets[1].OwnerHotkey);

        // Held through the next interval (and still bigger), the same lock wins at the next boundary.
        ConvictionRules.ReassignOwnership(s, 2 * I);
        Assert.Equal(Attacker, s.Subnets[1].OwnerHotkey);
        Assert.Equal(Id(Key(6)), s.Subnets[1].OwnerColdkey);
    }

    [Fact]
    public void DustTopUp_restores_almost_no_conviction_and_keeps_the_decay_phase()
    {
        var (chain, honest, _) = World();
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Honest, 1, Tao, 0)).Success);
        var key = (Id(Key(4)), (ushort)1, Honest);
        var s = chain.State.Clone();
        var start = s.Locks[key].ScoreBlock;
        var at = start + (3 * I) + 5;
        var decayed = ConvictionRules.ConvictionQ64(s.Locks[key], at);
        Assert.True(decayed < PoolMath.OneQ64 * 51 / 100, "three intervals halve the score");

        LockAt(s, 4, Honest, 1, at);
        var after = s.Locks[key];
        Assert.Equal(honest + 1, after.Amount);
        var restored = ConvictionRules.ConvictionQ64(after, at);
        // (L·s + 1)/(L + 1) with L ≈ 10^10 rao: the score moves by less than 10^-9 of one.
        Assert.True(restored - decayed < PoolMath.OneQ64 / 1_000_000_000, $"a 1-rao top-up moved the score from {decayed} to {restored}");
        Assert.Equal(start + (3 * I), after.ScoreBlock);
        Assert.True(ConvictionRules.ConvictionQ64(after, start + (4 * I)) < restored, "the decay must continue at the original phase");
    }

    [Fact]
    public void TopUp_gives_the_amount_weighted_score()
    {
        var (chain, honest, _) = World();
        var key = (Id(Key(4)), (ushort)1, Honest);
        var s = chain.State.Clone();
        var at = s.Locks[key].ScoreBlock + (3 * I);
        var decayed = ConvictionRules.ConvictionQ64(s.Locks[key], at);

        // Stake more and lock it: the merged score is (L·s + a·1)/(L + a).
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Honest, 1, 5_000 * Tao, 0)).Success);
        var added = chain.State.StakeOf(Honest, Id(Key(4)), 1) - honest;
        s = chain.State.Clone();
        LockAt(s, 4, Honest, added, at);
        var merged = ConvictionRules.ConvictionQ64(s.Locks[key], at);
        var expected = (UInt128)(((System.Numerics.BigInteger)honest * decayed + (System.Numerics.BigInteger)added * PoolMath.OneQ64) / (honest + added));
        Assert.True(merged > decayed + ((PoolMath.OneQ64 - decayed) / 10), "a top-up of a tenth or more of the lock restores a matching share of the score");
        Assert.True(UInt128.Max(merged, expected) - UInt128.Min(merged, expected) <= 1, $"merged {merged}, expected {expected}");
    }
}
