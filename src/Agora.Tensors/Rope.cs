using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agora.Tensors;

/// <summary>Rotary position embedding, "rotate half" convention (HF LLaMA): pairs (i, i + D/2), inv_freq_i = theta^(-2i/D),
/// position = t, with cos/sin from a cached <see cref="RopeTable"/>. Threads split (B·T) rows; each element is rotated
/// independently with the same operations in vector bodies and tails, so any split gives the same bits.</summary>
public static class Rope
{
    /// <summary>x (B,T,H,D) rotated in place.</summary>
    public static void Forward(Span<float> x, int b, int t, int h, int d, float theta, int threads = 1)
    {
        LayerArgs.Rope(x, b, t, h, d, theta);
        Check.Threads(threads);
        Apply(x, b, t, h, d, RopeTable.Get(t, d, theta), inverse: false, threads);
    }

    /// <summary>dx (B,T,H,D) in place: applies the inverse rotation (the transpose).</summary>
    public static void Backward(Span<float> dx, int b, int t, int h, int d, float theta, int threads = 1)
    {
        LayerArgs.Rope(dx, b, t, h, d, theta);
        Check.Threads(threads);
        Apply(dx, b, t, h, d, RopeTable.Get(t, d, theta), inverse: true, threads);
    }

    /// <summary>Forward with a caller-held table (covering at least t positions for this d and theta).</summary>
    public static void Forward(Span<float> x, int b, int t, int h, int d, RopeTable table, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(table);
        LayerArgs.Rope(x, b, t, h, d, table.Theta);
        CheckTable(table, t, d);
        Check.Threads(threads);
        Apply(x, b, t, h, d, table, inverse: false, threads);
    }

    /// <summary>Backward with a caller-held table (covering at least t positions for this d and theta).</summary>
    public static void Backward(Span<float> dx, int b, int t, int h, int d, RopeTable table, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(table);
        LayerArgs.Rope(dx, b, t, h, d, table.Theta);
        CheckTable(table, t, d);
        Check.Threads(threads);
        Apply(dx, b, t, h, d, table, inverse: true, threads);
    }

    private static void CheckTable(RopeTable table, int t, int d)
    {
        if (table.D != d || table.T < t)
        {
            throw new ArgumentException($"the RoPE table covers d={table.D}, t<={table.T}; the call needs d={d}, t={t}.", nameof(table));
        }
    }

    private static unsafe void Apply(Span<float> x, int b, int t, int h, int d, RopeTable table, bool inverse, int threads)
    {
        int half = d / 2;
        int tableHalf = table.D / 2;
        fixed (float* px = x, pcos = table.Cos.Span, psin = table.Sin.Span)
        {
            nint ix = (nint)px, icos = (nint)pcos, isin = (nint)psin;
            Workers.For(b * t, threads, (start, end) =>
            {
                for (int row = start; row < end; row++)
                {
                    int pos = row % t;
                    float* cos = (float*)icos + (long)pos * tableHalf;
                    float* sin = (float*)isin + (long)pos * tableHalf;
                    for (int head = 0; head < h; head++)
                    {
                        float* xh = (float*)ix + ((long)row * h + head) * d;
                        if (inverse)
                        {
                            RotateHead(xh, cos, sin, half, -1f);
                        }
                        else
                        {
                            RotateHead(xh, cos, sin, half, 1f);
                        }
                    }
                }
            });
        }
    }

    /// <summary>(x1, x2) ← (x1·cos − x2·s·sin, x2·cos + x1·s·sin), s = ±1 (−1 is the transpose).</summary>
    private static unsafe void RotateHead(float* x, float* cos, float* sin, int half, float sign)
    {
        int i = 0;
        if (VectorMath.UseVector256)
        {
            Vector256<float> vsign = Vector256.Create(sign);
            for (; i + 8 <= half; i += 8)
            {
                Vector256<float> x1 = Avx.LoadVector256(x + i);
                Vector256<float> x2 = Avx.LoadVector256(x + half + i);
                Vector256<float> c = Avx.LoadVector256(cos + i);
                Vector256<float> s = Avx.Multiply(Avx.LoadVector256(sin + i), vsign);
                Avx.Store(x + i, Avx.Subtract(Avx.Multiply(x1, c), Avx.Multiply(x2, s)));
                Avx.Store(x + half + i, Avx.Add(Avx.Multiply(x2, c), Avx.Multiply(x1, s)));
            }
        }

        for (; i < half; i++)
        {
            float x1 = x[i];
            float x2 = x[half + i];
            float s = sin[i] * sign;
            x[i] = x1 * cos[i] - x2 * s;
            x[half + i] = x2 * cos[i] + x1 * s;
        }
    }
}
