using System.Numerics;
using Agora.Ledger.Economics;
using FsCheck;
using FsCheck.Fluent;

namespace Agora.Ledger.Tests.Economics;

/// <summary>Invariants of the economic rules over generated inputs (FsCheck, fixed replay seed for determinism).</summary>
public class EconomicsPropertyTests
{
    private static readonly Config Deterministic = Config.QuickThrowOnFailure.WithReplay(12345UL, 67891UL).WithMaxTest(300);

    private static Gen<ulong> Amount(int maxBits) =>
        Gen.Choose(1, maxBits).SelectMany(bits => Gen.Choose(0, int.MaxValue).Three().Select(t =>
        {
            var raw = ((ulong)(uint)t.Item1 << 33) ^ ((ulong)(uint)t.Item2 << 16) ^ (uint)t.Item3;
            return bits >= 64 ? Math.Max(raw, 1) : (raw % (1UL << bits)) + 1;
        }));

    private static readonly Gen<ulong> Weight = Gen.Choose(50, 950).Select(permille => (ulong)permille * 1_000_000_000_000_000UL);

    [Fact]
    public void A_swap_never_pays_out_the_whole_reserve_and_pays_more_for_more_input()
    {
        var gen = from tao in Amount(50)
                  from alpha in Amount(50)
                  from weight in Weight
                  from delta in Amount(50)
                  from extra in Amount(40)
                  from buy in Gen.Elements(true, false)
                  select (tao, alpha, weight, delta, extra, order: buy ? SwapOrder.Buy : SwapOrder.Sell);
        Check.One(Deterministic, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var reserveOut = c.order == SwapOrder.Buy ? c.alpha : c.tao;
            var small = BalancerSwap.ConvertDelta(c.order, c.delta, c.tao, c.alpha, c.weight);
            var large = BalancerSwap.ConvertDelta(c.order, c.delta + c.extra, c.tao, c.alpha, c.weight);
            return small <= large && large <= reserveOut;
        }));
    }

    [Fact]
    public void The_fee_and_the_net_input_add_up_to_the_amount()
    {
        var gen = from amount in Amount(64)
                  from rate in Gen.Choose(0, 65535)
                  select (amount, rate: (ushort)rate);
        Check.One(Deterministic, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var fee = BalancerSwap.Fee(c.amount, c.rate);
            var exact = (BigInteger)c.amount * c.rate / 65535;
            var result = BalancerSwap.Swap(SwapOrder.Buy, c.amount, 1_000_000_000, 1_000_000_000, BalancerSwap.Perquintill / 2, c.rate);
            // floor(rate·2^64/65535) loses less than one 2^-64 step, so the fee is floor(amount·rate/65535) or one less.
            return result.Fee == fee && result.NetIn + result.Fee == c.amount && fee <= exact && fee + 1 >= exact;
        }));
    }

    [Fact]
    public void The_decay_factor_is_the_largest_q32_whose_half_life_power_is_at_most_one_half()
    {
        Check.One(Deterministic.WithMaxTest(100), Prop.ForAll(Gen.Choose(1, 200_000).ToArbitrary(), h =>
        {
            var f = RegistrationBurn.DecayFactorQ32((ulong)h);
            return RegistrationBurn.PowQ32(f, (ulong)h) <= 1UL << 31 && RegistrationBurn.PowQ32(f + 1, (ulong)h) > 1UL << 31;
        }));
    }

    [Fact]
    public void Burn_stays_within_its_clamps_and_never_grows_on_a_plain_block()
    {
        var gen = from burn in Amount(63)
                  from lo in Amount(40)
                  from span in Amount(50)
                  from h in Gen.Choose(0, 5000)
                  select (burn, min: lo, max: lo + span, h: (ulong)h);
        Check.One(Deterministic, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var clamped = Math.Clamp(c.burn, c.min, c.max);
            var next = RegistrationBurn.OnBlock(clamped, 10, c.h, c.min, c.max);
            var bumped = RegistrationBurn.OnRegistration(clamped, Agora.Core.FixedPoint.FixedLiteral.ToU64F64(1.26), c.min, c.max);
            return next >= c.min && next <= c.max && next <= clamped && bumped >= clamped && bumped <= c.max;
        }));
    }

    [Fact]
    public void Block_emission_is_always_a_halving_of_one_tao()
    {
        var allowed = Enumerable.Range(0, 33).Select(k => 1_000_000_000UL >> k).Append(0UL).ToHashSet();
        Check.One(Deterministic, Prop.ForAll(Amount(64).ToArbitrary(), issuance => allowed.Contains(BlockEmission.ForIssuance(issuance))));
    }
}
