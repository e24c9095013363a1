using System.Text.Json;
using Agora.Core.FixedPoint;
using Agora.Ledger.Economics;
using Agora.Ledger.Tests.Consensus;

namespace Agora.Ledger.Tests.Economics;

public class RegistrationBurnVectorTests
{
    [Fact]
    public void Decay_factors_match_tv6()
    {
        using var doc = YumaVectors.Load("tv6_burn_decay.json");
        Assert.Equal("burn-decay/1", doc.RootElement.GetProperty("format").GetString());
        var factors = doc.RootElement.GetProperty("decay_factors").EnumerateArray().ToArray();
        Assert.Equal(17, factors.Length);
        foreach (var f in factors)
        {
            Assert.Equal(f.GetProperty("factor_q32").GetUInt64(), RegistrationBurn.DecayFactorQ32(f.GetProperty("half_life").GetUInt64()));
        }
    }

    [Fact]
    public void Every_tv6_sequence_step_matches_and_the_asserted_values_agree()
    {
        using var doc = YumaVectors.Load("tv6_burn_decay.json");
        var sequences = doc.RootElement.GetProperty("sequences").EnumerateArray().ToArray();
        Assert.Equal(4, sequences.Length);
        foreach (var s in sequences)
        {
            var name = s.GetProperty("name").GetString();
            var halfLife = s.GetProperty("half_life").GetUInt64();
            var multiplier = U64F64.FromBits(UInt128.Parse(s.GetProperty("increase_mult_u64f64_bits").GetString()!));
            var min = s.GetProperty("min_burn").GetUInt64();
            var max = s.GetProperty("max_burn").GetUInt64();
            var burn = s.GetProperty("initial_burn").GetUInt64();
            var block = s.GetProperty("start_block").GetUInt64();
            var lastByOp = new Dictionary<(string, ulong), ulong>();
            foreach (var step in s.GetProperty("steps").EnumerateArray())
            {
                var op = step.GetProperty("op").GetString()!;
                var stepBlock = step.GetProperty("block").GetUInt64();
                if (op == "block")
                {
                    Assert.Equal(block + 1, stepBlock);
                    block = stepBlock;
                    burn = RegistrationBurn.OnBlock(burn, block, halfLife, min, max);
                }
                else
                {
                    Assert.Equal("register", op);
                    Assert.Equal(block, stepBlock);
                    burn = RegistrationBurn.OnRegistration(burn, multiplier, min, max);
                }

                Assert.True(step.GetProperty("expect_burn").GetUInt64() == burn, $"{name}: {op} at block {stepBlock}: expected {step.GetProperty("expect_burn")}, got {burn}");
                lastByOp[(op, stepBlock)] = burn;
            }

            foreach (var asserted in s.GetProperty("asserted_by_test").EnumerateArray())
            {
                var key = (asserted.GetProperty("op").GetString()!, asserted.GetProperty("block").GetUInt64());
                Assert.Equal(asserted.GetProperty("burn").GetUInt64(), lastByOp[key]);
            }
        }
    }

    [Fact]
    public void Every_tv6_long_run_checkpoint_matches()
    {
        using var doc = YumaVectors.Load("tv6_burn_decay.json");
        var longRuns = doc.RootElement.GetProperty("long_runs");
        var start = longRuns.GetProperty("start_block").GetUInt64();
        var runs = longRuns.GetProperty("runs").EnumerateArray().ToArray();
        Assert.NotEmpty(runs);
        foreach (var run in runs)
        {
            var halfLife = run.GetProperty("half_life").GetUInt64();
            var factor = RegistrationBurn.DecayFactorQ32(halfLife);
            Assert.Equal(run.GetProperty("factor_q32").GetUInt64(), factor);
            var min = run.GetProperty("min_burn").GetUInt64();
            var max = run.GetProperty("max_burn").GetUInt64();
            var burn = run.GetProperty("initial_burn").GetUInt64();
            var checkpoints = run.GetProperty("checkpoints").EnumerateArray().Select(c => (Step: c[0].GetInt32(), Block: c[1].GetUInt64(), Burn: c[2].GetUInt64())).ToArray();
            var next = 0;
            for (var step = 1; step <= checkpoints[^1].Step; step++)
            {
                var block = start + (ulong)step;
                burn = RegistrationBurn.OnBlockWithFactor(burn, block, factor, halfLife, min, max);
                if (checkpoints[next].Step == step)
                {
                    Assert.Equal(checkpoints[next].Block, block);
                    Assert.True(checkpoints[next].Burn == burn, $"netuid {run.GetProperty("netuid")}, half-life {halfLife}, step {step}: expected {checkpoints[next].Burn}, got {burn}");
                    next++;
                }
            }

            Assert.Equal(checkpoints.Length, next);
        }
    }

    [Fact]
    public void Bump_saturates_and_a_multiplier_below_one_counts_as_one()
    {
        var two = U64F64.FromInt(2);
        Assert.Equal(ulong.MaxValue, RegistrationBurn.OnRegistration(ulong.MaxValue / 2 + 1, two, 0, ulong.MaxValue));
        Assert.Equal(1000UL, RegistrationBurn.OnRegistration(1000, U64F64.FromBits(1UL << 63), 0, ulong.MaxValue));
        Assert.Throws<ArgumentException>(() => RegistrationBurn.OnRegistration(1, two, 10, 5));
    }
}
