using Agora.Core.FixedPoint;
using Agora.Ledger.Consensus;

namespace Agora.Ledger.Tests.Consensus;

public class YumaEpochTests
{
    /// <summary>Two validators (stake 3 and 1) and two miners; both validators permitted and weighting miners 2 and 3.</summary>
    private static EpochInput TwoByTwo(bool yuma3, bool liquidAlpha, SparseEntry[][]? bonds = null) => new()
    {
        Block = 100,
        Tempo = 10,
        ActivityCutoff = 1000,
        Yuma3 = yuma3,
        LiquidAlpha = liquidAlpha,
        MaxAllowedValidators = 2,
        RaoEmission = 1_000_000_000,
        Stake = [3, 1, 0, 0],
        LastUpdate = [90, 90, 90, 90],
        BlockAtRegistration = [1, 1, 1, 1],
        ValidatorPermit = [true, true, false, false],
        Weights = [[new(2, 65535), new(3, 65535)], [new(2, 65535)], [], []],
        Bonds = bonds ?? [[], [], [], []],
    };

    [Fact]
    public void Yuma3_without_liquid_alpha_stores_the_fixed_alpha_share_of_the_clipped_weights_as_bonds()
    {
        var output = YumaEpoch.Run(TwoByTwo(yuma3: true, liquidAlpha: false));
        // Validator 1 puts its whole weight on miner 2, so its clipped weight there is the consensus C_2, and with
        // no previous bonds the EMA leaves alpha · C_2.
        var alpha = I32F32.One - I32F32.FromBits(3865470566);  // 1 - 0.9
        var expected = I32F32.SaturatingMul(alpha, output.Trace.Consensus[2]).ToU16Proportion();
        Assert.Equal(expected, output.DenseBonds()[1][2]);
        Assert.Empty(output.Bonds[2]);
        Assert.Empty(output.Bonds[3]);
    }

    [Fact]
    public void Bonds_of_UIDs_without_the_new_permit_are_not_stored()
    {
        var input = TwoByTwo(yuma3: false, liquidAlpha: false);
        var output = YumaEpoch.Run(new EpochInput
        {
            Block = input.Block, Tempo = input.Tempo, ActivityCutoff = input.ActivityCutoff, Yuma3 = false,
            MaxAllowedValidators = 1, RaoEmission = input.RaoEmission, Stake = input.Stake, LastUpdate = input.LastUpdate,
            BlockAtRegistration = input.BlockAtRegistration, ValidatorPermit = input.ValidatorPermit, Weights = input.Weights, Bonds = input.Bonds,
        });
        Assert.Equal([true, false, false, false], output.ValidatorPermit);
        Assert.NotEmpty(output.Bonds[0]);
        Assert.Empty(output.Bonds[1]);
    }

    [Fact]
    public void Emission_splits_between_miners_and_validators_and_sums_to_at_most_the_epoch_emission()
    {
        foreach (var (yuma3, liquid) in new[] { (false, false), (true, false), (true, true) })
        {
            var output = YumaEpoch.Run(TwoByTwo(yuma3, liquid, bonds: [[new(2, 30000)], [new(2, 60000)], [], []]));
            var total = output.Emission.Aggregate(0UL, (s, v) => s + v);
            Assert.InRange(total, 1_000_000_000UL - 4, 1_000_000_000UL);
            Assert.True(output.ServerEmission[2] > 0 && output.ValidatorEmission[0] > 0 && output.ValidatorEmission[1] > 0);
            Assert.Equal(0UL, output.ServerEmission[0] + output.ServerEmission[1]);
        }
    }

    [Fact]
    public void Liquid_alpha_without_any_consensus_falls_back_to_the_fixed_alpha()
    {
        var empty = TwoByTwo(yuma3: true, liquidAlpha: true);
        var noWeights = new EpochInput
        {
            Block = empty.Block, Tempo = empty.Tempo, ActivityCutoff = empty.ActivityCutoff, Yuma3 = true, LiquidAlpha = true,
            MaxAllowedValidators = 2, RaoEmission = empty.RaoEmission, Stake = empty.Stake, LastUpdate = empty.LastUpdate,
            BlockAtRegistration = empty.BlockAtRegistration, ValidatorPermit = empty.ValidatorPermit,
            Weights = [[], [], [], []], Bonds = [[new(2, 65535)], [], [], []],
        };
        var output = YumaEpoch.Run(noWeights);
        // Fixed alpha 0.1: the bond decays to 0.9 of u16_proportion(65535) = 0.9 in u16, 58981.
        Assert.Equal(I32F32.SaturatingMul(I32F32.FromBits(3865470566), I32F32.One).ToU16Proportion(), output.DenseBonds()[0][2]);
    }

    [Fact]
    public void Unsorted_rows_give_the_same_result_as_sorted_ones()
    {
        var sorted = TwoByTwo(yuma3: true, liquidAlpha: true);
        var shuffled = TwoByTwo(yuma3: true, liquidAlpha: true);
        shuffled.Weights[0] = [new(3, 65535), new(2, 65535)];
        Assert.Equal(YumaEpoch.Run(sorted).DenseBonds(), YumaEpoch.Run(shuffled).DenseBonds());
    }

    [Theory]
    [InlineData("length")]
    [InlineData("column")]
    [InlineData("duplicate")]
    [InlineData("moving average")]
    [InlineData("alpha bounds")]
    public void Bad_input_is_rejected_with_a_message_naming_the_problem(string problem)
    {
        var good = TwoByTwo(yuma3: true, liquidAlpha: true);
        EpochInput bad = problem switch
        {
            "length" => Copy(good, lastUpdate: [1, 2, 3]),
            "column" => Copy(good, weights: [[new(9, 1)], [], [], []]),
            "duplicate" => Copy(good, bonds: [[new(2, 1), new(2, 5)], [], [], []]),
            "moving average" => Copy(good, movingAverage: 1_000_001),
            _ => Copy(good, alphaLow: 60000),
        };
        var error = Assert.Throws<ArgumentException>(() => YumaEpoch.Run(bad));
        Assert.Contains(problem switch
        {
            "length" => "LastUpdate has 3 entries",
            "column" => "Weights[0] has column 9",
            "duplicate" => "Bonds[0] has column 2 twice",
            "moving average" => "BondsMovingAverage",
            _ => "AlphaLow",
        }, error.Message);
    }

    private static EpochInput Copy(EpochInput x, ulong[]? lastUpdate = null, SparseEntry[][]? weights = null, SparseEntry[][]? bonds = null, ulong? movingAverage = null, ushort? alphaLow = null) => new()
    {
        Block = x.Block, Tempo = x.Tempo, ActivityCutoff = x.ActivityCutoff, Yuma3 = x.Yuma3, LiquidAlpha = x.LiquidAlpha,
        MaxAllowedValidators = x.MaxAllowedValidators, RaoEmission = x.RaoEmission, Stake = x.Stake,
        LastUpdate = lastUpdate ?? x.LastUpdate, BlockAtRegistration = x.BlockAtRegistration, ValidatorPermit = x.ValidatorPermit,
        Weights = weights ?? x.Weights, Bonds = bonds ?? x.Bonds, BondsMovingAverage = movingAverage ?? x.BondsMovingAverage,
        AlphaLow = alphaLow ?? x.AlphaLow, AlphaHigh = x.AlphaHigh,
    };
}
