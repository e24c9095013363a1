using Agora.Ledger.Primitives;
using Agora.Ledger.Economics;
using Agora.Ledger.Execution;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

public class StakingAndPayoutTests
{
    private static readonly Agora.Ledger.Primitives.AccountId Validator = Id(Key(101));

    [Fact]
    public void Add_stake_swaps_through_the_pool_and_burns_the_fee()
    {
        var chain = Standard();
        chain.Produce();
        var pool = chain.State.Subnets[1];
        var amount = 10 * Tao;
        var fee = BalancerSwap.Fee(amount, 33);
        var expected = BalancerSwap.ConvertDelta(SwapOrder.Buy, amount - fee, pool.TaoReserve, pool.AlphaReserve, BalancerSwap.Perquintill / 2);
        var producerBefore = chain.State.GetAccount(Id(chain.Producer)).Balance;
        var burnedBefore = chain.State.TotalBurned;
        var receipt = chain.Produce(chain.Sign(Key(4), new AddStakeBody(Validator, 1, amount, 0))).Receipts[0];
        Assert.True(receipt.Success, receipt.Message);
        var after = chain.State.Subnets[1];

        // The block step ran before the transaction, so compare against the pool as the transaction saw it.
        Assert.Equal(expected, chain.State.StakeOf(Validator, Id(Key(4)), 1));
        Assert.True(fee > 0);
        // The swap fee is burned: nobody (not the producer, not the all-zero account) receives it.
        Assert.Equal(producerBefore, chain.State.GetAccount(Id(chain.Producer)).Balance);
        Assert.Equal(0UL, chain.State.GetAccount(AccountId.Zero).Balance);
        Assert.Equal(burnedBefore + fee, chain.State.TotalBurned);
        Assert.Equal(10_000 * Tao - amount, chain.State.GetAccount(Id(Key(4))).Balance);
        Assert.True(after.TaoReserve > pool.TaoReserve + amount - fee - 1);
    }

    [Fact]
    public void Add_stake_below_the_requested_minimum_output_is_refused()
    {
        var chain = Standard();
        var receipt = chain.Submit(Key(4), new AddStakeBody(Validator, 1, Tao, 10 * Tao));
        Assert.Equal(TxCode.SlippageExceeded, receipt.Code);
    }

    [Fact]
    public void Staking_to_a_hotkey_nobody_registered_is_refused()
    {
        Assert.Equal(TxCode.HotkeyNotRegistered, Standard().Submit(Key(4), new AddStakeBody(Id(Key(140)), 1, Tao, 0)).Code);
    }

    [Fact]
    public void Remove_stake_returns_tao_less_the_fee_and_refuses_more_than_staked()
    {
        var chain = Standard();
        chain.Submit(Key(4), new AddStakeBody(Validator, 1, 10 * Tao, 0));
        var staked = chain.State.StakeOf(Validator, Id(Key(4)), 1);
        Assert.Equal(TxCode.InsufficientStake, chain.Submit(Key(4), new RemoveStakeBody(Validator, 1, staked + 1, 0)).Code);
        var balance = chain.State.GetAccount(Id(Key(4))).Balance;
        Assert.True(chain.Submit(Key(4), new RemoveStakeBody(Validator, 1, staked, 0)).Success);
        var returned = chain.State.GetAccount(Id(Key(4))).Balance - balance;
        Assert.InRange(returned, 9 * Tao, 10 * Tao);
        Assert.Equal(0UL, chain.State.StakeOf(Validator, Id(Key(4)), 1));
    }

    [Fact]
    public void Epochs_pay_miners_and_validators_with_take_and_nominators_pro_rata_and_conserve_alpha()
    {
        var chain = Standard(h => h with { Tempo = 20 });
        var miner = Id(Key(103));
        var validator = Id(Key(105));
        chain.Produce(
            chain.Sign(Key(3), Reg(1, miner, 10 * Tao)),
            chain.Sign(Key(5), Reg(1, validator, 10 * Tao)));
        chain.Produce(
            chain.Sign(Key(5), new AddStakeBody(validator, 1, 100 * Tao, 0)),
            chain.Sign(Key(4), new AddStakeBody(validator, 1, 300 * Tao, 0)));
        chain.Blocks(25);
        Assert.True(chain.State.Neurons[(1, 2)].ValidatorPermit);
        Assert.True(chain.Submit(Key(105), new SetWeightsBody(1, U16(1), U16(65_535), 0)).Success);

        var ownerBefore = chain.State.StakeOf(validator, Id(Key(5)), 1);
        var nominatorBefore = chain.State.StakeOf(validator, Id(Key(4)), 1);
        var minerBefore = chain.State.StakeOf(miner, Id(Key(3)), 1);
        var subnetOwnerBefore = chain.State.StakeOf(Validator, Id(Key(1)), 1);
        var until = Schedule.BlocksUntilNextEpoch(1, 20, chain.State.Height);
        chain.Blocks((int)until - 1);
        var pendingBefore = chain.State.Subnets[1];
        chain.Produce();
        var after = chain.State.Subnets[1];
        Assert.Equal(chain.State.Height, after.LastEpochBlock);

        var validatorNeuron = chain.State.Neurons[(1, 2)];
        var minerNeuron = chain.State.Neurons[(1, 1)];
        Assert.True(minerNeuron.Incentive > 0);
        Assert.True(validatorNeuron.Dividends > 0);
        Assert.Equal(minerNeuron.Emission, chain.State.StakeOf(miner, Id(Key(3)), 1) - minerBefore);

        // The validator's payout v: 18% take to its owner's shares, the rest spread over all its stakers by shares.
        var v = validatorNeuron.Emission;
        var take = v * 11_796 / 65_535;
        var ownerGain = chain.State.StakeOf(validator, Id(Key(5)), 1) - ownerBefore;
        var nominatorGain = chain.State.StakeOf(validator, Id(Key(4)), 1) - nominatorBefore;
        var expectedNominator = (ulong)((UInt128)(v - take) * nominatorBefore / (ownerBefore + nominatorBefore));
        Assert.True(nominatorGain + 3 >= expectedNominator && nominatorGain <= expectedNominator + 3, $"v={v} take={take} ob={ownerBefore} nb={nominatorBefore} og={ownerGain} ng={nominatorGain} exp={expectedNominator}");
        Assert.InRange(ownerGain + nominatorGain, v - 3, v);
        Assert.True(ownerGain > take);

        // The owner cut accrued since the last epoch goes to the subnet owner's hotkey stake.
        var ownerCut = chain.State.StakeOf(Validator, Id(Key(1)), 1) - subnetOwnerBefore;
        Assert.True(ownerCut >= pendingBefore.PendingOwner);
        Assert.Equal(0UL, after.PendingOwner);

        // Everything pending at the epoch is paid out except rounding dust.
        Assert.True(after.PendingServer + after.PendingValidator < 10);
        AssertConservation(chain.State);
    }
}
