namespace Agora.Tensors;

internal static class AttentionArgs
{
    public static void Forward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> output, ReadOnlySpan<float> probs, int b, int t, int hq, int hkv, int d)
    {
        Dims(b, t, hq, hkv, d);
        Check.Length(q.Length, (long)b * t * hq * d, nameof(q), $"(b={b}, t={t}, hq={hq}, d={d})");
        Check.Length(k.Length, (long)b * t * hkv * d, nameof(k), $"(b={b}, t={t}, hkv={hkv}, d={d})");
        Check.Length(v.Length, (long)b * t * hkv * d, nameof(v), $"(b={b}, t={t}, hkv={hkv}, d={d})");
        Check.Length(output.Length, (long)b * t * hq * d, nameof(output), $"(b={b}, t={t}, hq={hq}, d={d})");
        Check.Length(probs.Length, (long)b * hq * t * t, nameof(probs), $"(b={b}, hq={hq}, t={t}, t={t})");
    }

    public static void Backward(ReadOnlySpan<float> dout, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> probs, ReadOnlySpan<float> dq, ReadOnlySpan<float> dk, ReadOnlySpan<float> dv, int b, int t, int hq, int hkv, int d)
    {
        Dims(b, t, hq, hkv, d);
        string qShape = $"(b={b}, t={t}, hq={hq}, d={d})";
        string kvShape = $"(b={b}, t={t}, hkv={hkv}, d={d})";
        Check.Length(dout.Length, (long)b * t * hq * d, nameof(dout), qShape);
        Check.Length(q.Length, (long)b * t * hq * d, nameof(q), qShape);
        Check.Length(k.Length, (long)b * t * hkv * d, nameof(k), kvShape);
        Check.Length(v.Length, (long)b * t * hkv * d, nameof(v), kvShape);
        Check.Length(probs.Length, (long)b * hq * t * t, nameof(probs), $"(b={b}, hq={hq}, t={t}, t={t})");
        Check.Length(dq.Length, (long)b * t * hq * d, nameof(dq), qShape);
        Check.Length(dk.Length, (long)b * t * hkv * d, nameof(dk), kvShape);
        Check.Length(dv.Length, (long)b * t * hkv * d, nameof(dv), kvShape);
    }

    private static void Dims(int b, int t, int hq, int hkv, int d)
    {
        Check.NonNegative(b, nameof(b));
        Check.NonNegative(t, nameof(t));
        Check.Heads(hq, hkv);
        Check.Positive(d, nameof(d));
    }
}
