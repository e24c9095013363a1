using Agora.Core.FixedPoint;

namespace Agora.Ledger.Execution;

/// <summary>Weight storage rule of subtensor: <c>vec_u16_max_upscale_to_u16</c> in I32F32 (vectors README §3.4).</summary>
public static class WeightMath
{
    public static ushort[] MaxUpscale(IReadOnlyList<ushort> values)
    {
        var result = new ushort[values.Count];
        var max = I32F32.Zero;
        foreach (var v in values)
        {
            max = I32F32.Max(max, I32F32.FromInt(v));
        }

        var u16Max = I32F32.FromInt(ushort.MaxValue);
        for (var k = 0; k < values.Count; k++)
        {
            var e = I32F32.FromInt(values[k]);
            if (max == I32F32.Zero)
            {
                result[k] = I32F32.SaturatingMul(e, u16Max).ToU16();
            }
            else if (max > I32F32.FromInt(32_768))
            {
                var ratio = I32F32.SafeDiv(u16Max, max);
                result[k] = I32F32.SaturatingMul(e, ratio).Round().ToU16();
            }
            else
            {
                result[k] = I32F32.SafeDiv(I32F32.SaturatingMul(e, u16Max), max).Round().ToU16();
            }
        }

        return result;
    }
}
