using System.Text.Json;
using Agora.Core.FixedPoint;
using Agora.Ledger.Consensus;

namespace Agora.Ledger.Tests.Consensus;

public class WeightedMedianVectorTests
{
    private static I32F32[] Bits(JsonElement e) => e.EnumerateArray().Select(x => I32F32.FromBits(x.GetInt64())).ToArray();

    [Fact]
    public void Weighted_median_matches_every_tv1_case_exactly()
    {
        using var doc = YumaVectors.Load("tv1_weighted_median.json");
        Assert.Equal("weighted-median/1", doc.RootElement.GetProperty("format").GetString());
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(84, cases.Length);
        foreach (var c in cases)
        {
            var stake = Bits(c.GetProperty("stake_bits"));
            var score = Bits(c.GetProperty("score_bits"));
            var partition = Enumerable.Range(0, stake.Length).ToArray();
            var result = WeightedMedian.Compute(
                stake,
                score,
                partition,
                I32F32.FromBits(c.GetProperty("minority_bits").GetInt64()),
                I32F32.FromBits(c.GetProperty("partition_lo_bits").GetInt64()),
                I32F32.FromBits(c.GetProperty("partition_hi_bits").GetInt64()));
            var name = c.GetProperty("name").GetString();
            Assert.True(c.GetProperty("expected_bits").GetInt64() == result.Bits, $"{name}: expected {c.GetProperty("expected_bits").GetInt64()}, got {result.Bits}");
            if (c.TryGetProperty("accepted_medians_bits", out var accepted))
            {
                Assert.Contains(result.Bits, accepted.EnumerateArray().Select(x => x.GetInt64()));
            }
        }
    }

    [Fact]
    public void Fixed_tv1_inputs_are_the_f32_literals_rounded_to_I32F32()
    {
        using var doc = YumaVectors.Load("tv1_weighted_median.json");
        var checkedCases = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (!c.TryGetProperty("score_literals_f32", out var literals) || c.GetProperty("stake_normalized").GetBoolean())
            {
                continue;
            }

            var expected = c.GetProperty("score_bits").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            var converted = literals.EnumerateArray().Select(x => FixedLiteral.ToI32F32((float)x.GetDouble()).Bits).ToArray();
            Assert.Equal(expected, converted);
            checkedCases++;
        }

        Assert.True(checkedCases > 0);
    }

    [Fact]
    public void Column_median_matches_every_tv2_case_exactly()
    {
        using var doc = YumaVectors.Load("tv2_weighted_median_col.json");
        Assert.Equal("weighted-median-col/1", doc.RootElement.GetProperty("format").GetString());
        var count = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var stake = Bits(c.GetProperty("stake_bits"));
            var weights = c.GetProperty("weights_sparse_bits").EnumerateArray()
                .Select(row => row.EnumerateArray().Select(p => new FixedEntry(p[0].GetInt32(), I32F32.FromBits(p[1].GetInt64()))).ToArray())
                .ToArray();
            if (stake.Length == 0)
            {
                // The empty case lists one empty row for zero stakes; the function sees no rows at all.
                weights = [];
            }

            var result = WeightedMedian.ColumnSparse(stake, weights, c.GetProperty("columns").GetInt32(), I32F32.FromBits(c.GetProperty("majority_bits").GetInt64()));
            var expected = c.GetProperty("expected_bits").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            Assert.Equal(expected, result.Select(r => r.Bits).ToArray());
            count++;
        }

        Assert.Equal(6, count);
    }

    [Fact]
    public void Median_of_equal_stakes_is_the_middle_score()
    {
        var stake = Enumerable.Repeat(I32F32.FromBits(1L << 30), 4).ToArray();
        var score = new[] { 4, 1, 3, 2 }.Select(v => I32F32.FromInt(v)).ToArray();
        var median = WeightedMedian.Compute(stake, score, [0, 1, 2, 3], I32F32.FromBits(1L << 31), I32F32.Zero, I32F32.One);
        Assert.Equal(I32F32.FromInt(3), median);
    }

    [Fact]
    public void Median_rejects_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>(() => WeightedMedian.Compute(new I32F32[2], new I32F32[3], [0, 1], I32F32.Zero, I32F32.Zero, I32F32.One));
    }
}
