using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>Vector helpers of subtensor's epoch math. Plain sums saturate: with at most 4096 entries of
/// proportions (or u16 weights) they cannot reach the I32F32 range, so saturation only guards against misuse.</summary>
public static class FixedVector
{
    public static I32F32 Sum(ReadOnlySpan<I32F32> values)
    {
        var sum = I32F32.Zero;
        foreach (var value in values)
        {
            sum = I32F32.SaturatingAdd(sum, value);
        }

        return sum;
    }

    /// <summary>normalize in place: when the sum is non-zero every entry becomes safe_div(x, sum).</summary>
    public static void Normalize(Span<I32F32> values)
    {
        var sum = Sum(values);
        if (sum.IsZero)
        {
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = I32F32.SafeDiv(values[i], sum);
        }
    }

    /// <summary>is_topk_nonzero: true for the k largest non-zero entries; ties keep the lower index (stable sort).</summary>
    public static bool[] TopKNonzero(ReadOnlySpan<I32F32> values, int k)
    {
        var n = values.Length;
        var result = new bool[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = !values[i].IsZero;
        }

        if (n < k)
        {
            return result;
        }

        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = values.ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byValue = keys[a].CompareTo(keys[b]);
            return byValue != 0 ? byValue : a.CompareTo(b);
        });
        for (var i = 0; i < n - k; i++)
        {
            result[order[i]] = false;
        }

        return result;
    }

    /// <summary>floor(bits(x) * rao / 2^32) through I96F32, the conversion of a proportion to token units.</summary>
    public static ulong ToRao(I32F32 proportion, ulong rao) =>
        I96F32.SaturatingMul(proportion.ToI96F32(), I96F32.FromUInt(rao)).ToU64();
}
