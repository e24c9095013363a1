using Agora.Ledger.Consensus;

namespace Agora.Ledger.Tests.Consensus;

/// <summary>The sparse epoch against the dense reference on seeded random subnets: every output and trace vector,
/// both bond variants, liquid alpha, partial bond penalties, inactive, unpermitted and re-registered UIDs.</summary>
public class YumaEpochDifferentialTests
{
    private static EpochInput RandomInput(Random r, bool yuma3, bool liquidAlpha)
    {
        var n = r.Next(1, 20);
        var block = (ulong)r.Next(50, 400);
        var stake = Enumerable.Range(0, n).Select(_ => r.Next(4) == 0 ? 0UL : (ulong)r.NextInt64(1, 1L << r.Next(1, 50))).ToArray();
        SparseEntry[][] Rows(double density, bool allowZero) => Enumerable.Range(0, n)
            .Select(_ => Enumerable.Range(0, n)
                .Where(_ => r.NextDouble() < density)
                .Select(j => new SparseEntry((ushort)j, (ushort)(allowZero && r.Next(6) == 0 ? 0 : r.Next(1, 65536))))
                .ToArray())
            .ToArray();
        var low = (ushort)r.Next(0, 65536);
        var high = (ushort)r.Next(low, 65536);
        return new EpochInput
        {
            Block = block,
            Tempo = (ushort)r.Next(1, 40),
            ActivityCutoff = (ulong)r.Next(1, 300),
            Kappa = (ushort)(r.Next(3) == 0 ? 32767 : r.Next(0, 65536)),
            BondsPenalty = (ushort)(r.Next(3) switch { 0 => 0, 1 => 65535, _ => r.Next(0, 65536) }),
            BondsMovingAverage = (ulong)(r.Next(3) == 0 ? 900_000 : r.Next(0, 1_000_001)),
            Yuma3 = yuma3,
            LiquidAlpha = liquidAlpha,
            AlphaLow = low,
            AlphaHigh = high,
            AlphaSigmoidSteepness = (short)r.Next(-2000, 3000),
            MaxAllowedValidators = (ushort)r.Next(1, n + 3),
            RaoEmission = (ulong)r.NextInt64(0, long.MaxValue),
            Stake = stake,
            LastUpdate = Enumerable.Range(0, n).Select(_ => (ulong)r.Next(0, (int)block + 1)).ToArray(),
            BlockAtRegistration = Enumerable.Range(0, n).Select(_ => (ulong)r.Next(0, (int)block)).ToArray(),
            ValidatorPermit = Enumerable.Range(0, n).Select(_ => r.Next(3) != 0).ToArray(),
            Weights = Rows(r.NextDouble(), allowZero: true),
            Bonds = Rows(r.NextDouble(), allowZero: true),
        };
    }

    [Theory]
    [InlineData(false, false, 1)]
    [InlineData(true, false, 2)]
    [InlineData(true, true, 3)]
    public void Sparse_epoch_equals_the_dense_reference_on_random_subnets(bool yuma3, bool liquidAlpha, int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 250; trial++)
        {
            var input = RandomInput(random, yuma3, liquidAlpha);
            var got = YumaEpoch.Run(input);
            var want = DenseYumaReference.Run(input);
            var where = $"seed {seed} trial {trial}";
            Assert.Equal(want.Active, got.Active);
            Assert.Equal(want.Stake, got.Trace.Stake);
            Assert.Equal(want.ActiveStake, got.Trace.ActiveStake);
            Assert.Equal(want.Permit, got.ValidatorPermit);
            Assert.True(want.Consensus.SequenceEqual(got.Trace.Consensus), $"{where}: consensus");
            Assert.True(want.Trust.SequenceEqual(got.Trace.ValidatorTrust), $"{where}: validator trust");
            Assert.True(want.Incentive.SequenceEqual(got.Trace.Incentive), $"{where}: incentive");
            Assert.True(want.Dividends.SequenceEqual(got.Trace.Dividends), $"{where}: dividends");
            Assert.True(want.Server.SequenceEqual(got.ServerEmission), $"{where}: server emission");
            Assert.True(want.Validator.SequenceEqual(got.ValidatorEmission), $"{where}: validator emission");
            Assert.True(want.Emission.SequenceEqual(got.Emission), $"{where}: emission");
            var dense = got.DenseBonds();
            for (var i = 0; i < input.N; i++)
            {
                for (var j = 0; j < input.N; j++)
                {
                    Assert.True(want.Bonds[i, j] == dense[i][j], $"{where}: bond [{i},{j}] expected {want.Bonds[i, j]}, got {dense[i][j]}");
                }
            }
        }
    }

    [Fact]
    public void Liquid_alpha_changes_yuma3_bonds_compared_with_the_fixed_alpha()
    {
        var random = new Random(9);
        var differed = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var input = RandomInput(random, yuma3: true, liquidAlpha: true);
            var fixedAlpha = new EpochInput
            {
                Block = input.Block, Tempo = input.Tempo, ActivityCutoff = input.ActivityCutoff, Kappa = input.Kappa,
                BondsPenalty = input.BondsPenalty, BondsMovingAverage = input.BondsMovingAverage, Yuma3 = true, LiquidAlpha = false,
                AlphaLow = input.AlphaLow, AlphaHigh = input.AlphaHigh, AlphaSigmoidSteepness = input.AlphaSigmoidSteepness,
                MaxAllowedValidators = input.MaxAllowedValidators, RaoEmission = input.RaoEmission, Stake = input.Stake,
                LastUpdate = input.LastUpdate, BlockAtRegistration = input.BlockAtRegistration, ValidatorPermit = input.ValidatorPermit,
                Weights = input.Weights, Bonds = input.Bonds,
            };
            var a = YumaEpoch.Run(input).DenseBonds();
            var b = YumaEpoch.Run(fixedAlpha).DenseBonds();
            if (!a.Zip(b).All(p => p.First.SequenceEqual(p.Second)))
            {
                differed++;
            }
        }

        Assert.True(differed > 10, $"liquid alpha changed the bonds in only {differed} of 60 subnets");
    }
}
