using Agora.SparseLoCo.Codec;

namespace Agora.SparseLoCo.Tests;

public class TwoBitQuantizerTests
{
    [Fact]
    public void Parameters_follow_the_spec_formulas()
    {
        var values = TestLayouts.Gaussian(1000, 11, 0.3f);
        var codes = new byte[values.Length];
        var q = TwoBitQuantizer.Quantize(values, codes);

        var mean = values.Average(v => (double)v);
        var sigma = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        Assert.Equal((float)mean, q.Shift);
        Assert.Equal((float)(6 * sigma / 4), q.Scale);
        for (var i = 0; i < values.Length; i++)
        {
            var expected = (int)Math.Clamp(Math.Round(((values[i] - (double)q.Shift) / q.Scale) + 2), 0, 3);
            Assert.Equal(expected, codes[i]);
        }

        for (var c = 0; c < 4; c++)
        {
            var members = values.Where((_, i) => codes[i] == c).ToArray();
            Assert.NotEmpty(members);
            Assert.Equal((float)members.Average(v => (double)v), q[c]);
        }
    }

    [Fact]
    public void A_single_value_gets_code_two_the_minimum_scale_and_decodes_exactly()
    {
        var codes = new byte[1];
        var q = TwoBitQuantizer.Quantize([0.125f], codes);
        Assert.Equal(2, codes[0]);
        Assert.Equal(QuantizationParams.MinScale, q.Scale);
        Assert.Equal(0.125f, q.T2);
        Assert.Equal([0.125f, 0.125f, 0.125f, 0.125f], q.Table);
    }

    [Fact]
    public void Codes_that_no_value_got_decode_to_the_shift()
    {
        var codes = new byte[4];
        var q = TwoBitQuantizer.Quantize([1f, 1f, 1f, 5f], codes);
        Assert.Equal(new byte[] { 2, 2, 2, 3 }, codes);
        Assert.Equal(q.Shift, q.T0);
        Assert.Equal(q.Shift, q.T1);
        Assert.Equal(1f, q.T2);
        Assert.Equal(5f, q.T3);
    }

    [Fact]
    public void Every_table_entry_lies_within_the_bound_the_decoder_checks()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var n = 1 + (seed * 7 % 40);
            var values = TestLayouts.Gaussian(n, seed, 0.01f);
            if (seed % 5 == 0)
            {
                values[0] = 3f;
            }

            var q = TwoBitQuantizer.Quantize(values, new byte[n]);
            var bound = q.TableDeviationBound(n);
            Assert.All(q.Table, t => Assert.True(Math.Abs(t - (double)q.Shift) <= bound, $"seed {seed}: {t} vs shift {q.Shift}, bound {bound}"));
        }
    }

    [Fact]
    public void Non_finite_or_huge_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TwoBitQuantizer.Quantize([1f, float.NaN], new byte[2]));
        Assert.Throws<ArgumentException>(() => TwoBitQuantizer.Quantize([1f, 1e9f], new byte[2]));
    }
}
