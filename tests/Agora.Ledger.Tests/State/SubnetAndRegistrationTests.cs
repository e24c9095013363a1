using Agora.Ledger.App;
using Agora.Ledger.Economics;
using Agora.Ledger.Execution;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

public class SubnetAndRegistrationTests
{
    [Fact]
    public void Registration_burns_the_current_price_and_bumps_it_by_1_26()
    {
        var chain = Standard();
        chain.Produce();
        var price = chain.State.Subnets[1].Burn;
        var burnedBefore = chain.State.TotalBurned;
        var result = chain.Produce(chain.Sign(Key(3), Reg(1, Id(Key(103)), 10 * Tao)));
        Assert.True(result.Receipts[0].Success);

        // The block step decayed the price once before the registration saw it.
        var seen = RegistrationBurn.OnBlock(price, chain.State.Height, 360, 500_000, 100 * Tao);
        Assert.Equal(burnedBefore + seen, chain.State.TotalBurned);
        Assert.Equal(10_000 * Tao - seen, chain.State.GetAccount(Id(Key(3))).Balance);
        var bump = Agora.Core.FixedPoint.U64F64.FromBits(UInt128.Parse("23242897532874035200", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(RegistrationBurn.OnRegistration(seen, bump, 500_000, 100 * Tao), chain.State.Subnets[1].Burn);
        Assert.Equal((ushort)1, chain.State.UidOf(1, Id(Key(103))));
    }

    [Fact]
    public void Registration_price_decays_every_block()
    {
        var chain = Standard();
        chain.Blocks(2);
        var before = chain.State.Subnets[1].Burn;
        chain.Produce();
        Assert.Equal(RegistrationBurn.OnBlock(before, chain.State.Height, 360, 500_000, 100 * Tao), chain.State.Subnets[1].Burn);
        Assert.True(chain.State.Subnets[1].Burn < before);
    }

    [Fact]
    public void Registration_is_refused_above_the_callers_limit_for_foreign_hotkeys_and_twice()
    {
        var chain = Standard();
        Assert.Equal(TxCode.BurnAboveLimit, chain.Submit(Key(3), Reg(1, Id(Key(103)), 1)).Code);
        Assert.True(chain.Submit(Key(3), Reg(1, Id(Key(103)), 10 * Tao)).Success);
        Assert.Equal(TxCode.HotkeyAlreadyRegistered, chain.Submit(Key(3), Reg(1, Id(Key(103)), 10 * Tao)).Code);
        Assert.Equal(TxCode.HotkeyOwnedByOther, chain.Submit(Key(4), Reg(1, Id(Key(103)), 10 * Tao)).Code);
    }

    [Fact]
    public void A_full_subnet_replaces_the_lowest_emission_non_immune_neuron_and_drops_its_weights()
    {
        var chain = Standard(h => h with { MaxAllowedUids = 3, ImmunityPeriod = 5, Tempo = 30 });
        chain.Produce(
            chain.Sign(Key(3), Reg(1, Id(Key(103)), 10 * Tao)),
            chain.Sign(Key(4), Reg(1, Id(Key(104)), 10 * Tao)));
        Assert.Equal(TxCode.SubnetFull, chain.Submit(Key(5), Reg(1, Id(Key(105)), 10 * Tao)).Code);
        Assert.True(chain.Submit(Key(103), new SetWeightsBody(1, U16(2), U16(1), 0)).Success);
        chain.Blocks(5);
        Assert.True(chain.Submit(Key(5), Reg(1, Id(Key(105)), 10 * Tao)).Success);

        // UIDs 1 and 2 tie on emission (0) and registration block, so the lower UID goes; the owner's UID 0 is exempt.
        Assert.Equal(Id(Key(105)), chain.State.Neurons[(1, 1)].Hotkey);
        Assert.Null(chain.State.UidOf(1, Id(Key(103))));
        Assert.Empty(chain.State.WeightsOf(1, 1));
        Assert.Equal(chain.State.Height, chain.State.Neurons[(1, 1)].RegisteredBlock);
        Assert.Equal(3, chain.State.Subnets[1].NeuronCount);
    }

    [Fact]
    public void Subnet_lock_cost_doubles_after_a_creation_and_decays_over_the_interval()
    {
        var chain = Standard();
        var p = chain.State.Params;
        Assert.Equal(p.MinLockCost, chain.App.Query.SubnetLockCost());
        Assert.True(chain.Submit(Key(5), NewSubnet(Id(Key(105)), 5_000 * Tao)).Success);
        Assert.Equal(p.MinLockCost, chain.State.LastLockCost);
        Assert.Equal(2 * p.MinLockCost - (p.MinLockCost / p.LockReductionInterval), chain.App.Query.SubnetLockCost());
        Assert.Equal(TxCode.LockCostAboveLimit, chain.Submit(Key(6), NewSubnet(Id(Key(106)), p.MinLockCost)).Code);

        var created = chain.State.Subnets[2];
        Assert.Equal(Id(Key(5)), created.OwnerColdkey);
        Assert.Equal(p.MinLockCost, created.TaoReserve);
        Assert.Equal(Id(Key(105)), chain.State.Neurons[(2, 0)].Hotkey);
        AssertConservation(chain.State);
    }

    [Fact]
    public void At_the_subnet_limit_the_lowest_ema_subnet_past_immunity_is_dissolved_and_stakers_refunded()
    {
        var chain = Standard(subnets: 2, parameters: new GlobalParameters { MinTxFee = 0, MaxSubnets = 2, MinLockCost = 100 * Tao, SubnetImmunityBlocks = 10 });
        Assert.Equal(TxCode.SubnetLimitReached, chain.Submit(Key(5), NewSubnet(Id(Key(105)), 5_000 * Tao)).Code);
        Assert.True(chain.Submit(Key(4), new AddStakeBody(Id(Key(102)), 2, 50 * Tao, 0)).Success);
        chain.Produce(chain.Sign(Key(6), new AddStakeBody(Id(Key(101)), 1, 500 * Tao, 0)));
        chain.Blocks(12);
        var s = chain.State;
        var victim = s.Subnets.Values.OrderBy(x => x.EmaPriceQ64).ThenBy(x => x.Netuid).First().Netuid;
        var staker = victim == 2 ? Id(Key(4)) : Id(Key(6));
        var before = s.GetAccount(staker).Balance;
        Assert.True(chain.Submit(Key(5), NewSubnet(Id(Key(105)), 5_000 * Tao)).Success);
        Assert.Equal(2, chain.State.Subnets.Count);
        Assert.Equal(Id(Key(5)), chain.State.Subnets[victim].OwnerColdkey);
        Assert.True(chain.State.GetAccount(staker).Balance > before);
        AssertConservation(chain.State);
    }

    [Fact]
    public void Owner_hyperparameter_changes_are_bounded_once_per_tempo_and_not_just_before_an_epoch()
    {
        var chain = Standard(h => h with { Tempo = 30 });
        while (Schedule.BlocksUntilNextEpoch(1, 30, chain.State.Height + 1) <= 12)
        {
            chain.Produce();
        }

        Assert.Equal(TxCode.NotSubnetOwner, chain.Submit(Key(2), new SetHyperparameterBody(1, SubnetHyperparameter.Kappa, 30_000)).Code);
        Assert.Equal(TxCode.ParameterOutOfBounds, chain.Submit(Key(1), new SetHyperparameterBody(1, SubnetHyperparameter.Tempo, 7_201)).Code);
        Assert.Equal(TxCode.ParameterOutOfBounds, chain.Submit(Key(1), new SetHyperparameterBody(1, (SubnetHyperparameter)99, 1)).Code);
        Assert.True(chain.Submit(Key(1), new SetHyperparameterBody(1, SubnetHyperparameter.Kappa, 30_000)).Success);
        Assert.Equal(30_000, chain.State.Subnets[1].Hyper.Kappa);
        Assert.Equal(TxCode.HyperparameterRateLimited, chain.Submit(Key(1), new SetHyperparameterBody(1, SubnetHyperparameter.Kappa, 31_000)).Code);
        chain.Blocks(30);
        while (Schedule.BlocksUntilNextEpoch(1, 30, chain.State.Height + 1) > 10)
        {
            chain.Produce();
        }

        Assert.Equal(TxCode.HyperparameterNearEpoch, chain.Submit(Key(1), new SetHyperparameterBody(1, SubnetHyperparameter.Kappa, 31_000)).Code);
    }

    [Fact]
    public void Genesis_rejects_duplicate_accounts_and_out_of_bounds_parameters()
    {
        var a = Id(Key(1));
        Assert.Throws<ArgumentException>(() => LedgerApp.FromGenesis(new GenesisConfig { ChainId = "x", Balances = [(a, 1), (a, 2)] }));
        Assert.Throws<ArgumentException>(() => LedgerApp.FromGenesis(new GenesisConfig { ChainId = "x", Params = new GlobalParameters { MaxSubnets = 0 } }));
        Assert.Throws<ArgumentException>(() => LedgerApp.FromGenesis(new GenesisConfig { ChainId = "" }));
    }
}
