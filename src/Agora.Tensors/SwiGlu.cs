namespace Agora.Tensors;

/// <summary>The SwiGLU gate: out = silu(gate) · up, elementwise over N·F values.</summary>
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
            Workers.For(count, threads, (start, end) =>
            {
                float* g = (float*)ig, u = (float*)iu, o = (float*)io;
                for (int i = start; i < end; i++)
                {
                    float s = 1f / (1f + MathF.Exp(-g[i]));
                    o[i] = g[i] * s * u[i];
                }
            });
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
            Workers.For(count, threads, (start, end) =>
            {
                float* d = (float*)id, g = (float*)ig, u = (float*)iu, dg = (float*)idg, du = (float*)idu;
                for (int i = start; i < end; i++)
                {
                    float s = 1f / (1f + MathF.Exp(-g[i]));
                    float silu = g[i] * s;
                    float dd = d[i];
                    dg[i] = dd * u[i] * (s + silu * (1f - s));
                    du[i] = dd * silu;
                }
            });
        }
    }
}
