using Agora.Ledger.Consensus;

namespace Agora.Ledger.Tests.Consensus;

public class WeightScalingTests
{
    [Theory]
    [InlineData(new ushort[] { 32767, 32767 }, new ushort[] { 65535, 65535 })]
    [InlineData(new ushort[] { 16383, 32767, 49149, 65535 }, new ushort[] { 16383, 32767, 49149, 65535 })]
    [InlineData(new ushort[] { 0, 0 }, new ushort[] { 0, 0 })]
    [InlineData(new ushort[] { 1, 2 }, new ushort[] { 32768, 65535 })]
    [InlineData(new ushort[] { 0, 65535 }, new ushort[] { 0, 65535 })]
    public void Max_upscale_makes_the_largest_weight_65535(ushort[] weights, ushort[] expected) =>
        Assert.Equal(expected, WeightScaling.MaxUpscale(weights));

    [Fact]
    public void Max_upscale_keeps_the_ratios_within_one_unit()
    {
        var random = new Random(5);
        for (var t = 0; t < 500; t++)
        {
            var weights = Enumerable.Range(0, random.Next(1, 10)).Select(_ => (ushort)random.Next(0, 65536)).ToArray();
            var max = weights.Max();
            var scaled = WeightScaling.MaxUpscale(weights);
            for (var k = 0; k < weights.Length; k++)
            {
                var ideal = max == 0 ? 0 : weights[k] * 65535.0 / max;
                Assert.InRange(scaled[k], ideal - 1, ideal + 1);
            }
        }
    }
}
