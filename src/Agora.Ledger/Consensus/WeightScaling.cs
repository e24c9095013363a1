using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>How set_weights stores a row: vec_u16_max_upscale_to_u16, so that the largest entry becomes 65535.</summary>
public static class WeightScaling
{
    public static ushort[] MaxUpscale(ReadOnlySpan<ushort> weights)
    {
        var result = new ushort[weights.Length];
        var max = I32F32.Zero;
        foreach (var weight in weights)
        {
            max = I32F32.Max(max, I32F32.FromInt(weight));
        }

        var full = I32F32.FromInt(ushort.MaxValue);
        if (max.IsZero)
        {
            return result;
        }

        if (max > I32F32.FromInt(32768))
        {
            var ratio = I32F32.SafeDiv(full, max);
            for (var k = 0; k < weights.Length; k++)
            {
                result[k] = I32F32.SaturatingMul(I32F32.FromInt(weights[k]), ratio).Round().ToU16();
            }
        }
        else
        {
            for (var k = 0; k < weights.Length; k++)
            {
                result[k] = I32F32.SafeDiv(I32F32.SaturatingMul(I32F32.FromInt(weights[k]), full), max).Round().ToU16();
            }
        }

        return result;
    }
}
