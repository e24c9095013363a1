namespace Agora.Tensors;

public static partial class Reference
{
    /// <summary>y (N,C) = x / sqrt(mean(x²) + eps) * weight (C); rstd (N).</summary>
    public static void RmsNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, Span<float> rstd, int n, int c, float eps)
    {
        LayerArgs.RmsNormForward(x, weight, y, rstd, n, c, eps);
        for (int row = 0; row < n; row++)
        {
            ReadOnlySpan<float> xr = x.Slice(row * c, c);
            double ss = 0;
            for (int i = 0; i < c; i++)
            {
                ss += (double)xr[i] * xr[i];
            }

            double r = 1.0 / Math.Sqrt(ss / c + eps);
            rstd[row] = (float)r;
            for (int i = 0; i < c; i++)
            {
                y[row * c + i] = (float)(xr[i] * r * weight[i]);
            }
        }
    }

    /// <summary>dx (N,C) += ..., dweight (C) += ...</summary>
    public static void RmsNormBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dweight, int n, int c)
    {
        LayerArgs.RmsNormBackward(dy, x, weight, rstd, dx, dweight, n, c);
        for (int row = 0; row < n; row++)
        {
            double r = rstd[row];
            double dot = 0;
            for (int i = 0; i < c; i++)
            {
                dot += (double)dy[row * c + i] * weight[i] * x[row * c + i] * r;
            }

            double mean = dot / c;
            for (int i = 0; i < c; i++)
            {
                double xhat = x[row * c + i] * r;
                double g = (double)dy[row * c + i] * weight[i];
                dx[row * c + i] += (float)(r * (g - xhat * mean));
                dweight[i] += (float)(dy[row * c + i] * xhat);
            }
        }
    }

    /// <summary>Rotates x (B,T,H,D) in place by the RoPE angle t·theta^(-2i/D) for pairs (i, i + D/2).</summary>
    public static void RopeForward(Span<float> x, int b, int t, int h, int d, float theta) => Rotate(x, b, t, h, d, theta, 1.0);

    /// <summary>Applies the inverse rotation to dx (B,T,H,D) in place.</summary>
    public static void RopeBackward(Span<float> dx, int b, int t, int h, int d, float theta) => Rotate(dx, b, t, h, d, theta, -1.0);

    private static void Rotate(Span<float> x, int b, int t, int h, int d, float theta, double sign)
    {
        LayerArgs.Rope(x, b, t, h, d, theta);
        int half = d / 2;
        for (int bi = 0; bi < b; bi++)
        {
            for (int ti = 0; ti < t; ti++)
            {
                for (int hi = 0; hi < h; hi++)
                {
                    int off = ((bi * t + ti) * h + hi) * d;
                    for (int i = 0; i < half; i++)
                    {
                        double angle = ti * Math.Pow(theta, -2.0 * i / d);
                        double cos = Math.Cos(angle);
                        double sin = sign * Math.Sin(angle);
                        double x1 = x[off + i];
                        double x2 = x[off + i + half];
                        x[off + i] = (float)(x1 * cos - x2 * sin);
                        x[off + i + half] = (float)(x2 * cos + x1 * sin);
                    }
                }
            }
        }
    }

    /// <summary>output (N,F) = silu(gate) * up over <paramref name="count"/> = N·F elements.</summary>
    public static void SwiGluForward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> output, int count)
    {
        LayerArgs.SwiGluForward(gate, up, output, count);
        for (int i = 0; i < count; i++)
        {
            double g = gate[i];
            double s = 1.0 / (1.0 + Math.Exp(-g));
            output[i] = (float)(g * s * up[i]);
        }
    }

    /// <summary>dgate = dout·up·σ(g)(1 + g(1 − σ(g))), dup = dout·silu(g); both written.</summary>
    public static void SwiGluBackward(ReadOnlySpan<float> dout, ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> dgate, Span<float> dup, int count)
    {
        LayerArgs.SwiGluBackward(dout, gate, up, dgate, dup, count);
        for (int i = 0; i < count; i++)
        {
            double g = gate[i];
            double s = 1.0 / (1.0 + Math.Exp(-g));
            dgate[i] = (float)(dout[i] * (double)up[i] * s * (1.0 + g * (1.0 - s)));
            dup[i] = (float)(dout[i] * g * s);
        }
    }

    /// <summary>tokens (N) → output (N,C) rows of table (V,C).</summary>
    public static void EmbeddingForward(ReadOnlySpan<int> tokens, ReadOnlySpan<float> table, Span<float> output, int v, int c)
    {
        LayerArgs.Embedding(tokens, table, output, v, c, nameof(output));
        for (int i = 0; i < tokens.Length; i++)
        {
            table.Slice(tokens[i] * c, c).CopyTo(output.Slice(i * c, c));
        }
    }

    /// <summary>dtable (V,C) += scatter of dout (N,C), tokens in order.</summary>
    public static void EmbeddingBackward(ReadOnlySpan<float> dout, ReadOnlySpan<int> tokens, Span<float> dtable, int v, int c)
    {
        LayerArgs.Embedding(tokens, dtable, dout, v, c, nameof(dout));
        for (int i = 0; i < tokens.Length; i++)
        {
            int row = tokens[i] * c;
            for (int j = 0; j < c; j++)
            {
                dtable[row + j] += dout[i * c + j];
            }
        }
    }
}
