namespace Agora.Tensors;

internal static class LayerArgs
{
    public static void RmsNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> y, ReadOnlySpan<float> rstd, int n, int c, float eps)
    {
        Check.NonNegative(n, nameof(n));
        Check.Positive(c, nameof(c));
        Check.Finite(eps, nameof(eps));
        if (eps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"eps must be >= 0, got {eps}.");
        }

        string shape = $"(n={n}, c={c})";
        Check.Length(x.Length, (long)n * c, nameof(x), shape);
        Check.Length(weight.Length, c, nameof(weight), $"(c={c})");
        Check.Length(y.Length, (long)n * c, nameof(y), shape);
        Check.Length(rstd.Length, n, nameof(rstd), $"(n={n})");
    }

    public static void RmsNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> rstd, ReadOnlySpan<float> dx, ReadOnlySpan<float> dweight, int n, int c)
    {
        Check.NonNegative(n, nameof(n));
        Check.Positive(c, nameof(c));
        string shape = $"(n={n}, c={c})";
        Check.Length(dy.Length, (long)n * c, nameof(dy), shape);
        Check.Length(x.Length, (long)n * c, nameof(x), shape);
        Check.Length(weight.Length, c, nameof(weight), $"(c={c})");
        Check.Length(rstd.Length, n, nameof(rstd), $"(n={n})");
        Check.Length(dx.Length, (long)n * c, nameof(dx), shape);
        Check.Length(dweight.Length, c, nameof(dweight), $"(c={c})");
    }

    public static void Rope(ReadOnlySpan<float> x, int b, int t, int h, int d, float theta)
    {
        Check.NonNegative(b, nameof(b));
        Check.NonNegative(t, nameof(t));
        Check.NonNegative(h, nameof(h));
        Check.EvenHeadDim(d);
        if (!float.IsFinite(theta) || theta <= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(theta), theta, $"RoPE theta must be a finite number > 1, got {theta}.");
        }

        Check.Length(x.Length, (long)b * t * h * d, nameof(x), $"(b={b}, t={t}, h={h}, d={d})");
    }

    public static void SwiGluForward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> output, int count)
    {
        Check.NonNegative(count, nameof(count));
        string shape = $"(count={count})";
        Check.Length(gate.Length, count, nameof(gate), shape);
        Check.Length(up.Length, count, nameof(up), shape);
        Check.Length(output.Length, count, nameof(output), shape);
    }

    public static void SwiGluBackward(ReadOnlySpan<float> dout, ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> dgate, ReadOnlySpan<float> dup, int count)
    {
        Check.NonNegative(count, nameof(count));
        string shape = $"(count={count})";
        Check.Length(dout.Length, count, nameof(dout), shape);
        Check.Length(gate.Length, count, nameof(gate), shape);
        Check.Length(up.Length, count, nameof(up), shape);
        Check.Length(dgate.Length, count, nameof(dgate), shape);
        Check.Length(dup.Length, count, nameof(dup), shape);
    }

    /// <summary>The token count N is tokens.Length; <paramref name="rows"/> is the (N,C) buffer named <paramref name="rowsName"/>.</summary>
    public static void Embedding(ReadOnlySpan<int> tokens, ReadOnlySpan<float> table, ReadOnlySpan<float> rows, int v, int c, string rowsName)
    {
        Check.Positive(v, nameof(v));
        Check.Positive(c, nameof(c));
        Check.Length(table.Length, (long)v * c, "table", $"(v={v}, c={c})");
        Check.Length(rows.Length, (long)tokens.Length * c, rowsName, $"(n={tokens.Length}, c={c})");
        Check.Tokens(tokens, v, nameof(tokens));
    }
}
