namespace Agora.Tensors;

/// <summary>Rotary position embedding, "rotate half" convention (HF LLaMA): pairs (i, i + D/2), inv_freq_i = theta^(-2i/D),
/// position = t. Threads split (B·T) rows, each element is rotated independently, so any split gives the same bits.</summary>
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

    private static unsafe void Apply(Span<float> x, int b, int t, int h, int d, RopeTable table, bool inverse, int threads)
    {
        int half = d / 2;
        fixed (float* px = x, pcos = table.Cos.Span, psin = table.Sin.Span)
        {
            nint ix = (nint)px, icos = (nint)pcos, isin = (nint)psin;
            Workers.For(b * t, threads, (start, end) =>
            {
                for (int row = start; row < end; row++)
                {
                    int pos = row % t;
                    float* cos = (float*)icos + (long)pos * half;
                    float* sin = (float*)isin + (long)pos * half;
                    for (int head = 0; head < h; head++)
                    {
                        RotateHead((float*)ix + ((long)row * h + head) * d, cos, sin, half, inverse);
                    }
                }
            });
        }
    }

    private static unsafe void RotateHead(float* x, float* cos, float* sin, int half, bool inverse)
    {
        for (int i = 0; i < half; i++)
        {
            float x1 = x[i];
            float x2 = x[i + half];
            float s = inverse ? -sin[i] : sin[i];
            x[i] = x1 * cos[i] - x2 * s;
            x[i + half] = x2 * cos[i] + x1 * s;
        }
    }
}
