using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agora.Tensors;

/// <summary>The SwiGLU gate: out = silu(gate) · up, elementwise over N·F values. Vector bodies and scalar tails use the
/// same operations (see <see cref="VectorMath"/>), so any split of the range gives the same bits.</summary>
public static class SwiGlu
{
    /// <summary>output (N,F) = silu(gate) * up, over count = N·F elements.</summary>
    public static unsafe void Forward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> output, int count, int threads = 1)
    {
        LayerArgs.SwiGluForward(gate, up, output, count);
        Check.Threads(threads);
        fixed (float* pg = gate, pu = up, po = output)
        {
            nint ig = (nint)pg, iu = (nint)pu, io = (nint)po;
            Workers.For(count, threads, (start, end) => ForwardRange((float*)ig, (float*)iu, (float*)io, start, end));
        }
    }

    /// <summary>dgate = dout · up · σ(g)(1 + g(1 − σ(g))), dup = dout · silu(g); both written (=).</summary>
    public static unsafe void Backward(ReadOnlySpan<float> dout, ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> dgate, Span<float> dup, int count, int threads = 1)
    {
        LayerArgs.SwiGluBackward(dout, gate, up, dgate, dup, count);
        Check.Threads(threads);
        fixed (float* pd = dout, pg = gate, pu = up, pdg = dgate, pdu = dup)
        {
            nint id = (nint)pd, ig = (nint)pg, iu = (nint)pu, idg = (nint)pdg, idu = (nint)pdu;
            Workers.For(count, threads, (start, end) => BackwardRange((float*)id, (float*)ig, (float*)iu, (float*)idg, (float*)idu, start, end));
        }
    }

    private static unsafe void ForwardRange(float* g, float* u, float* o, int start, int end)
    {
        int i = start;
        if (VectorMath.UseVector256)
        {
            Vector256<float> one = Vector256.Create(1f);
            for (; i + 8 <= end; i += 8)
            {
                Vector256<float> gi = Avx.LoadVector256(g + i);
                Vector256<float> s = Avx.Divide(one, Avx.Add(one, VectorMath.Exp(Avx.Subtract(Vector256<float>.Zero, gi))));
                Avx.Store(o + i, Avx.Multiply(Avx.Multiply(gi, s), Avx.LoadVector256(u + i)));
            }
        }

        for (; i < end; i++)
        {
            float s = 1f / (1f + VectorMath.Exp(0f - g[i]));
            o[i] = g[i] * s * u[i];
        }
    }

    private static unsafe void BackwardRange(float* d, float* g, float* u, float* dg, float* du, int start, int end)
    {
        int i = start;
        if (VectorMath.UseVector256)
        {
            Vector256<float> one = Vector256.Create(1f);
            for (; i + 8 <= end; i += 8)
            {
                Vector256<float> gi = Avx.LoadVector256(g + i);
                Vector256<float> di = Avx.LoadVector256(d + i);
                Vector256<float> s = Avx.Divide(one, Avx.Add(one, VectorMath.Exp(Avx.Subtract(Vector256<float>.Zero, gi))));
                Vector256<float> silu = Avx.Multiply(gi, s);
                Vector256<float> local = Avx.Add(s, Avx.Multiply(silu, Avx.Subtract(one, s)));
                Avx.Store(dg + i, Avx.Multiply(Avx.Multiply(di, Avx.LoadVector256(u + i)), local));
                Avx.Store(du + i, Avx.Multiply(di, silu));
            }
        }

        for (; i < end; i++)
        {
            float s = 1f / (1f + VectorMath.Exp(0f - g[i]));
            float silu = g[i] * s;
            float local = s + silu * (1f - s);
            dg[i] = d[i] * u[i] * local;
            du[i] = d[i] * silu;
        }
    }
}
