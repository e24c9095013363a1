namespace Agora.Tensors;

/// <summary>Causal grouped-query self-attention: Hq query heads share Hkv kv heads (query head h reads kv head
/// h / (Hq/Hkv)), scale 1/sqrt(D). Forward splits (batch, query head) pairs across threads; backward splits
/// (batch, kv head) pairs, because dk and dv sum over the query heads of a group in a fixed order.</summary>
public static class Attention
{
    /// <summary>q (B,T,Hq,D), k (B,T,Hkv,D), v (B,T,Hkv,D) → output (B,T,Hq,D); probs (B,Hq,T,T) saved (upper triangle 0).</summary>
    public static unsafe void Forward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output, Span<float> probs, int b, int t, int hq, int hkv, int d, int threads = 1)
    {
        AttentionArgs.Forward(q, k, v, output, probs, b, t, hq, hkv, d);
        Check.Threads(threads);
        var shape = new Shape(t, hq, hkv, d);
        fixed (float* pq = q, pk = k, pv = v, po = output, pp = probs)
        {
            nint iq = (nint)pq, ik = (nint)pk, iv = (nint)pv, io = (nint)po, ip = (nint)pp;
            Workers.Each(b * hq, threads, task =>
            {
                int bi = task / hq;
                int h = task % hq;
                ForwardHead(shape, (float*)iq, (float*)ik, (float*)iv, (float*)io, (float*)ip, bi, h);
            });
        }
    }

    /// <summary>dq, dk, dv written (=), same shapes as q, k, v.</summary>
    public static unsafe void Backward(ReadOnlySpan<float> dout, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> probs, Span<float> dq, Span<float> dk, Span<float> dv, int b, int t, int hq, int hkv, int d, int threads = 1)
    {
        AttentionArgs.Backward(dout, q, k, v, probs, dq, dk, dv, b, t, hq, hkv, d);
        Check.Threads(threads);
        var shape = new Shape(t, hq, hkv, d);
        fixed (float* pdo = dout, pq = q, pk = k, pv = v, pp = probs, pdq = dq, pdk = dk, pdv = dv)
        {
            nint ido = (nint)pdo, iq = (nint)pq, ik = (nint)pk, iv = (nint)pv, ip = (nint)pp, idq = (nint)pdq, idk = (nint)pdk, idv = (nint)pdv;
            Workers.Each(b * hkv, threads, task =>
            {
                int bi = task / hkv;
                int kh = task % hkv;
                var dscore = new float[t];
                BackwardGroup(shape, (float*)ido, (float*)iq, (float*)ik, (float*)iv, (float*)ip, (float*)idq, (float*)idk, (float*)idv, bi, kh, dscore);
            });
        }
    }

    private static unsafe void ForwardHead(Shape s, float* q, float* k, float* v, float* output, float* probs, int bi, int h)
    {
        int t = s.T, d = s.D;
        int kh = h / s.Group;
        float scale = 1f / MathF.Sqrt(d);
        for (int i = 0; i < t; i++)
        {
            float* qi = q + s.QOffset(bi, i, h);
            float* p = probs + ((long)(bi * s.Hq + h) * t + i) * t;
            float max = float.NegativeInfinity;
            for (int j = 0; j <= i; j++)
            {
                float dot = Dot(qi, k + s.KvOffset(bi, j, kh), d) * scale;
                p[j] = dot;
                max = MathF.Max(max, dot);
            }

            float sum = 0;
            for (int j = 0; j <= i; j++)
            {
                float e = MathF.Exp(p[j] - max);
                p[j] = e;
                sum += e;
            }

            float inv = 1f / sum;
            for (int j = 0; j <= i; j++)
            {
                p[j] *= inv;
            }

            new Span<float>(p + i + 1, t - i - 1).Clear();
            float* oi = output + s.QOffset(bi, i, h);
            new Span<float>(oi, d).Clear();
            for (int j = 0; j <= i; j++)
            {
                Axpy(p[j], v + s.KvOffset(bi, j, kh), oi, d);
            }
        }
    }

    private static unsafe void BackwardGroup(Shape s, float* dout, float* q, float* k, float* v, float* probs, float* dq, float* dk, float* dv, int bi, int kh, float[] dscore)
    {
        int t = s.T, d = s.D;
        float scale = 1f / MathF.Sqrt(d);
        for (int j = 0; j < t; j++)
        {
            new Span<float>(dk + s.KvOffset(bi, j, kh), d).Clear();
            new Span<float>(dv + s.KvOffset(bi, j, kh), d).Clear();
        }

        for (int h = kh * s.Group; h < (kh + 1) * s.Group; h++)
        {
            for (int i = 0; i < t; i++)
            {
                float* doi = dout + s.QOffset(bi, i, h);
                float* qi = q + s.QOffset(bi, i, h);
                float* dqi = dq + s.QOffset(bi, i, h);
                float* p = probs + ((long)(bi * s.Hq + h) * t + i) * t;
                float rowDot = 0;
                for (int j = 0; j <= i; j++)
                {
                    float dp = Dot(doi, v + s.KvOffset(bi, j, kh), d);
                    dscore[j] = dp;
                    rowDot += dp * p[j];
                    Axpy(p[j], doi, dv + s.KvOffset(bi, j, kh), d);
                }

                new Span<float>(dqi, d).Clear();
                for (int j = 0; j <= i; j++)
                {
                    float ds = p[j] * (dscore[j] - rowDot) * scale;
                    Axpy(ds, k + s.KvOffset(bi, j, kh), dqi, d);
                    Axpy(ds, qi, dk + s.KvOffset(bi, j, kh), d);
                }
            }
        }
    }

    private static unsafe float Dot(float* a, float* b, int n)
    {
        float sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static unsafe void Axpy(float alpha, float* x, float* y, int n)
    {
        for (int i = 0; i < n; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    private readonly record struct Shape(int T, int Hq, int Hkv, int D)
    {
        public int Group => Hq / Hkv;

        public long QOffset(int bi, int ti, int h) => ((long)(bi * T + ti) * Hq + h) * D;

        public long KvOffset(int bi, int ti, int h) => ((long)(bi * T + ti) * Hkv + h) * D;
    }
}
