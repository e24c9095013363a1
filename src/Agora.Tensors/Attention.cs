using System.Runtime.InteropServices;

namespace Agora.Tensors;

/// <summary>Causal grouped-query self-attention: Hq query heads share Hkv kv heads (query head h reads kv head
/// h / (Hq/Hkv)), scale 1/sqrt(D). The products run on the packed GEMM in fixed blocks of query rows, skipping the
/// masked upper triangle block by block. Forward splits (batch, query head) pairs across threads; backward splits
/// (batch, kv head) pairs, because dk and dv sum over the query heads of a group in a fixed order. The blocking does
/// not depend on the thread count, so results are bit-identical for any thread count.</summary>
public static class Attention
{
    /// <summary>Query rows per block: the causal mask lets block [i0, i1) stop at key i1.</summary>
    private const int RowBlock = 64;

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
                ForwardHead(shape, (float*)iq, (float*)ik, (float*)iv, (float*)io, (float*)ip, task / hq, task % hq));
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
            var io = new Buffers((nint)pdo, (nint)pq, (nint)pk, (nint)pv, (nint)pp, (nint)pdq, (nint)pdk, (nint)pdv);
            Workers.Each(b * hkv, threads, task =>
            {
                float* scratch = (float*)NativeMemory.Alloc((nuint)Math.Max(1L, (long)t * t), sizeof(float));
                try
                {
                    BackwardGroup(shape, io, task / hkv, task % hkv, scratch);
                }
                finally
                {
                    NativeMemory.Free(scratch);
                }
            });
        }
    }

    private static unsafe void ForwardHead(Shape s, float* q, float* k, float* v, float* output, float* probs, int bi, int h)
    {
        int t = s.T, d = s.D, kh = h / s.Group;
        float scale = 1f / MathF.Sqrt(d);
        var qh = new GemmOperand(q + s.QOffset(bi, 0, h), (long)s.Hq * d, 1);       // (T, D)
        var khT = new GemmOperand(k + s.KvOffset(bi, 0, kh), 1, (long)s.Hkv * d);   // (D, T)
        var vh = new GemmOperand(v + s.KvOffset(bi, 0, kh), (long)s.Hkv * d, 1);    // (T, D)
        float* p = probs + (long)(bi * s.Hq + h) * t * t;                          // (T, T)
        float* o = output + s.QOffset(bi, 0, h);                                   // (T, D), row stride Hq·D
        for (int i0 = 0; i0 < t; i0 += RowBlock)
        {
            int i1 = Math.Min(t, i0 + RowBlock);
            GemmDriver.Serial(qh.Offset(i0, 0), khT, p + (long)i0 * t, t, i1 - i0, d, i1, accumulate: false);
            for (int i = i0; i < i1; i++)
            {
                float* row = p + (long)i * t;
                float max = VectorMath.Max(row, i + 1);
                float sum = VectorMath.ExpSum(row, row, i + 1, scale, max * scale);
                VectorMath.Scale(row, i + 1, 1f / sum);
                new Span<float>(row + i + 1, t - i - 1).Clear();
            }

            GemmDriver.Serial(new GemmOperand(p + (long)i0 * t, t, 1), vh, o + (long)i0 * s.Hq * d, s.Hq * d, i1 - i0, i1, d, accumulate: false);
        }
    }

    private static unsafe void BackwardGroup(Shape s, Buffers io, int bi, int kh, float* ds)
    {
        int t = s.T, d = s.D;
        float scale = 1f / MathF.Sqrt(d);
        long qStride = (long)s.Hq * d, kvStride = (long)s.Hkv * d;
        var kRows = new GemmOperand(io.K + s.KvOffset(bi, 0, kh), kvStride, 1);   // (T, D)
        var vT = new GemmOperand(io.V + s.KvOffset(bi, 0, kh), 1, kvStride);      // (D, T)
        float* dk = io.DK + s.KvOffset(bi, 0, kh);                               // (T, D), row stride Hkv·D
        float* dv = io.DV + s.KvOffset(bi, 0, kh);
        for (int g = 0; g < s.Group; g++)
        {
            int h = kh * s.Group + g;
            bool accumulate = g > 0;
            var doh = new GemmOperand(io.DOut + s.QOffset(bi, 0, h), qStride, 1);  // (T, D)
            var qh = new GemmOperand(io.Q + s.QOffset(bi, 0, h), qStride, 1);     // (T, D)
            float* p = io.Probs + (long)(bi * s.Hq + h) * t * t;                // (T, T)
            float* dq = io.DQ + s.QOffset(bi, 0, h);

            // ds (T,T) = P ⊙ (dP − rowsum(dP ⊙ P)) · scale with dP = dO · Vᵀ; zero above the diagonal.
            for (int i0 = 0; i0 < t; i0 += RowBlock)
            {
                int i1 = Math.Min(t, i0 + RowBlock);
                GemmDriver.Serial(doh.Offset(i0, 0), vT, ds + (long)i0 * t, t, i1 - i0, d, i1, accumulate: false);
                for (int i = i0; i < i1; i++)
                {
                    SoftmaxBackwardRow(p + (long)i * t, ds + (long)i * t, i + 1, scale);
                    new Span<float>(ds + (long)i * t + i + 1, t - i - 1).Clear();
                }

                GemmDriver.Serial(new GemmOperand(ds + (long)i0 * t, t, 1), kRows, dq + i0 * qStride, (int)qStride, i1 - i0, i1, d, accumulate: false);
            }

            // dK (+)= dsᵀ · Q and dV (+)= Pᵀ · dO; key rows [i0, i1) only see query rows p ≥ i0.
            for (int i0 = 0; i0 < t; i0 += RowBlock)
            {
                int i1 = Math.Min(t, i0 + RowBlock);
                var dsT = new GemmOperand(ds + (long)i0 * t + i0, 1, t);
                var pT = new GemmOperand(p + (long)i0 * t + i0, 1, t);
                GemmDriver.Serial(dsT, qh.Offset(i0, 0), dk + i0 * kvStride, (int)kvStride, i1 - i0, t - i0, d, accumulate);
                GemmDriver.Serial(pT, doh.Offset(i0, 0), dv + i0 * kvStride, (int)kvStride, i1 - i0, t - i0, d, accumulate);
            }
        }
    }

    /// <summary>ds[j] = p[j] · (dp[j] − Σ dp·p) · scale for j &lt; n, in place over dp.</summary>
    private static unsafe void SoftmaxBackwardRow(float* p, float* dp, int n, float scale)
    {
        float rowDot = VectorMath.Dot(dp, p, n);
        for (int j = 0; j < n; j++)
        {
            dp[j] = p[j] * (dp[j] - rowDot) * scale;
        }
    }

    private readonly unsafe struct Buffers(nint dout, nint q, nint k, nint v, nint probs, nint dq, nint dk, nint dv)
    {
        public float* DOut => (float*)dout;

        public float* Q => (float*)q;

        public float* K => (float*)k;

        public float* V => (float*)v;

        public float* Probs => (float*)probs;

        public float* DQ => (float*)dq;

        public float* DK => (float*)dk;

        public float* DV => (float*)dv;
    }

    private readonly record struct Shape(int T, int Hq, int Hkv, int D)
    {
        public int Group => Hq / Hkv;

        public long QOffset(int bi, int ti, int h) => ((long)(bi * T + ti) * Hq + h) * D;

        public long KvOffset(int bi, int ti, int h) => ((long)(bi * T + ti) * Hkv + h) * D;
    }
}
