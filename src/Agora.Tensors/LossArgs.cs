namespace Agora.Tensors;

internal static class LossArgs
{
    public static void Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> probs, int n, int v)
    {
        Common(targets, n, v);
        Check.Length(logits.Length, (long)n * v, nameof(logits), $"(n={n}, v={v})");
        Check.Length(probs.Length, (long)n * v, nameof(probs), $"(n={n}, v={v})");
    }

    public static void Backward(ReadOnlySpan<float> probs, ReadOnlySpan<int> targets, ReadOnlySpan<float> dlogits, int n, int v, float scale)
    {
        Common(targets, n, v);
        Check.Finite(scale, nameof(scale));
        Check.Length(probs.Length, (long)n * v, nameof(probs), $"(n={n}, v={v})");
        Check.Length(dlogits.Length, (long)n * v, nameof(dlogits), $"(n={n}, v={v})");
    }

    private static void Common(ReadOnlySpan<int> targets, int n, int v)
    {
        Check.NonNegative(n, nameof(n));
        Check.Positive(v, nameof(v));
        Check.Length(targets.Length, n, nameof(targets), $"(n={n})");
        Check.Tokens(targets[..n], v, nameof(targets));
    }
}
