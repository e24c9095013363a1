namespace Agora.Tensors;

/// <summary>Root-mean-square normalisation over the last dimension, with a learned per-channel weight.</summary>
public static class RmsNorm
{
    /// <summary>y (N,C) = x / sqrt(mean(x²) + eps) * weight (C); rstd (N) saved for backward.</summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, Span<float> rstd, int n, int c, float eps, int threads = 1)
    {
        LayerArgs.RmsNormForward(x, weight, y, rstd, n, c, eps);
        Check.Threads(threads);
        fixed (float* px = x, pw = weight, py = y, pr = rstd)
        {
            nint ix = (nint)px, iw = (nint)pw, iy = (nint)py, ir = (nint)pr;
            Workers.For(n, threads, (start, end) =>
            {
                for (int row = start; row < end; row++)
                {
                    ForwardRow((float*)ix + (long)row * c, (float*)iw, (float*)iy + (long)row * c, (float*)ir + row, c, eps);
                }
            });
        }
    }

    /// <summary>dx (N,C) += ... (dx is the residual-stream gradient); dweight (C) += ...</summary>
    public static unsafe void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dweight, int n, int c, int threads = 1)
    {
        LayerArgs.RmsNormBackward(dy, x, weight, rstd, dx, dweight, n, c);
        Check.Threads(threads);
        fixed (float* pdy = dy, px = x, pw = weight, pr = rstd, pdx = dx, pdw = dweight)
        {
            nint idy = (nint)pdy, ix = (nint)px, iw = (nint)pw, ir = (nint)pr, idx = (nint)pdx, idw = (nint)pdw;
            Workers.For(n, threads, (start, end) =>
            {
                for (int row = start; row < end; row++)
                {
                    long o = (long)row * c;
                    BackwardRow((float*)idy + o, (float*)ix + o, (float*)iw, ((float*)ir)[row], (float*)idx + o, c);
                }
            });

            // dweight sums over rows; splitting it by columns keeps each column's row order fixed.
            Workers.For(c, threads, (start, end) =>
            {
                float* pdyr = (float*)idy, pxr = (float*)ix, prr = (float*)ir, pdwr = (float*)idw;
                for (int row = 0; row < n; row++)
                {
                    long o = (long)row * c;
                    float r = prr[row];
                    for (int i = start; i < end; i++)
                    {
                        pdwr[i] += pdyr[o + i] * (pxr[o + i] * r);
                    }
                }
            });
        }
    }

    private static unsafe void ForwardRow(float* x, float* w, float* y, float* rstd, int c, float eps)
    {
        float ss = 0;
        for (int i = 0; i < c; i++)
        {
            ss += x[i] * x[i];
        }

        float r = 1f / MathF.Sqrt(ss / c + eps);
        *rstd = r;
        for (int i = 0; i < c; i++)
        {
            y[i] = x[i] * r * w[i];
        }
    }

    private static unsafe void BackwardRow(float* dy, float* x, float* w, float r, float* dx, int c)
    {
        float dot = 0;
        for (int i = 0; i < c; i++)
        {
            dot += dy[i] * w[i] * (x[i] * r);
        }

        float mean = dot / c;
        for (int i = 0; i < c; i++)
        {
            dx[i] += r * (dy[i] * w[i] - x[i] * r * mean);
        }
    }
}
