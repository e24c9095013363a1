namespace Agora.Tensors;

internal static class GemmArgs
{
    /// <summary>The three layouts need the same element counts (A: M·K, B: K·N, C: M·N), only the strides differ.</summary>
    public static void Validate(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, int m, int k, int n)
    {
        Check.NonNegative(m, nameof(m));
        Check.NonNegative(k, nameof(k));
        Check.NonNegative(n, nameof(n));
        Check.Length(a.Length, (long)m * k, nameof(a), $"(m={m}, k={k})");
        Check.Length(b.Length, (long)k * n, nameof(b), $"(k={k}, n={n})");
        Check.Length(c.Length, (long)m * n, nameof(c), $"(m={m}, n={n})");
    }
}
