using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agora.Tensors;

/// <summary>Root-mean-square normalisation over the last dimension, with a learned per-channel weight. Threads split
/// rows (dweight: columns, summing rows in order); vector bodies and scalar tails do the same operations, so results are
/// bit-identical for any thread count.</summary>
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
                for (int row = 0; row < n; row++)
                {
                    long o = (long)row * c;
                    WeightGradRow((float*)idy + o, (float*)ix + o, ((float*)ir)[row], (float*)idw, start, end);
                }
            });
        }
    }

    private static unsafe void ForwardRow(float* x, float* w, float* y, float* rstd, int c, float eps)
    {
        float r = 1f / MathF.Sqrt(VectorMath.Dot(x, x, c) / c + eps);
        *rstd = r;
        int i = 0;
        if (VectorMath.UseVector256)
        {
            Vector256<float> vr = Vector256.Create(r);
            for (; i + 8 <= c; i += 8)
            {
                Avx.Store(y + i, Avx.Multiply(Avx.Multiply(Avx.LoadVector256(x + i), vr), Avx.LoadVector256(w + i)));
            }
        }

        for (; i < c; i++)
        {
            y[i] = x[i] * r * w[i];
        }
    }

    /// <summary>dx += r · (g − x · r · mean(g · x̂)) with g = dy · w, x̂ = x · r.</summary>
    private static unsafe void BackwardRow(float* dy, float* x, float* w, float r, float* dx, int c)
    {
        int i = 0;
        float dot = 0f;
        if (VectorMath.UseVector256)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i + 8 <= c; i += 8)
            {
                acc = Fma.MultiplyAdd(Avx.Multiply(Avx.LoadVector256(dy + i), Avx.LoadVector256(w + i)), Avx.LoadVector256(x + i), acc);
            }

            dot = VectorMath.HorizontalSum(acc);
        }

        for (; i < c; i++)
        {
            dot = MathF.FusedMultiplyAdd(dy[i] * w[i], x[i], dot);
        }

        float k = r * (dot * r / c);
        i = 0;
        if (VectorMath.UseVector256)
        {
            Vector256<float> vk = Vector256.Create(k), vr = Vector256.Create(r);
            for (; i + 8 <= c; i += 8)
            {
                Vector256<float> g = Avx.Multiply(Avx.LoadVector256(dy + i), Avx.LoadVector256(w + i));
                Vector256<float> t = Avx.Subtract(g, Avx.Multiply(Avx.LoadVector256(x + i), vk));
                Avx.Store(dx + i, Avx.Add(Avx.LoadVector256(dx + i), Avx.Multiply(t, vr)));
            }
        }

        for (; i < c; i++)
        {
            float t = dy[i] * w[i] - x[i] * k;
            dx[i] += t * r;
        }
    }

    private static unsafe void WeightGradRow(float* dy, float* x, float r, float* dw, int start, int end)
    {
        int i = start;
        if (VectorMath.UseVector256)
        {
            Vector256<float> vr = Vector256.Create(r);
            for (; i + 8 <= end; i += 8)
            {
                Vector256<float> prod = Avx.Multiply(Avx.LoadVector256(dy + i), Avx.Multiply(Avx.LoadVector256(x + i), vr));
                Avx.Store(dw + i, Avx.Add(Avx.LoadVector256(dw + i), prod));
            }
        }

        for (; i < end; i++)
        {
            dw[i] += dy[i] * (x[i] * r);
        }
    }
}
