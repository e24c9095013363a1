namespace Agora.Tensors;

public static partial class Reference
{
    /// <summary>Causal grouped-query attention. q (B,T,Hq,D), k/v (B,T,Hkv,D) → output (B,T,Hq,D), probs (B,Hq,T,T).</summary>
    public static void AttentionForward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output, Span<float> probs, int b, int t, int hq, int hkv, int d)
    {
        AttentionArgs.Forward(q, k, v, output, probs, b, t, hq, hkv, d);
        int group = hq / hkv;
        double scale = 1.0 / Math.Sqrt(d);
        var scores = new double[t];
        for (int bi = 0; bi < b; bi++)
        {
            for (int h = 0; h < hq; h++)
            {
                int kh = h / group;
                for (int i = 0; i < t; i++)
                {
                    int qo = ((bi * t + i) * hq + h) * d;
                    double max = double.NegativeInfinity;
                    for (int j = 0; j <= i; j++)
                    {
                        int ko = ((bi * t + j) * hkv + kh) * d;
                        double s = 0;
                        for (int e = 0; e < d; e++)
                        {
                            s += (double)q[qo + e] * k[ko + e];
                        }

                        scores[j] = s * scale;
                        max = Math.Max(max, scores[j]);
                    }

                    double sum = 0;
                    for (int j = 0; j <= i; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        sum += scores[j];
                    }

                    int po = ((bi * hq + h) * t + i) * t;
                    for (int j = 0; j < t; j++)
                    {
                        probs[po + j] = j <= i ? (float)(scores[j] / sum) : 0f;
                    }

                    for (int e = 0; e < d; e++)
                    {
                        double acc = 0;
                        for (int j = 0; j <= i; j++)
                        {
                            acc += scores[j] / sum * v[((bi * t + j) * hkv + kh) * d + e];
                        }

                        output[qo + e] = (float)acc;
                    }
                }
            }
        }
    }

    /// <summary>dq, dk, dv written (=) from dout (B,T,Hq,D) and the saved probs (B,Hq,T,T).</summary>
    public static void AttentionBackward(ReadOnlySpan<float> dout, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> probs, Span<float> dq, Span<float> dk, Span<float> dv, int b, int t, int hq, int hkv, int d)
    {
        AttentionArgs.Backward(dout, q, k, v, probs, dq, dk, dv, b, t, hq, hkv, d);
        int group = hq / hkv;
        double scale = 1.0 / Math.Sqrt(d);
        var dqAcc = new double[q.Length];
        var dkAcc = new double[k.Length];
        var dvAcc = new double[v.Length];
        var dp = new double[t];
        for (int bi = 0; bi < b; bi++)
        {
            for (int h = 0; h < hq; h++)
            {
                int kh = h / group;
                for (int i = 0; i < t; i++)
                {
                    int qo = ((bi * t + i) * hq + h) * d;
                    int po = ((bi * hq + h) * t + i) * t;
                    double rowDot = 0;
                    for (int j = 0; j <= i; j++)
                    {
                        int vo = ((bi * t + j) * hkv + kh) * d;
                        double s = 0;
                        for (int e = 0; e < d; e++)
                        {
                            s += (double)dout[qo + e] * v[vo + e];
                            dvAcc[vo + e] += (double)probs[po + j] * dout[qo + e];
                        }

                        dp[j] = s;
                        rowDot += s * probs[po + j];
                    }

                    for (int j = 0; j <= i; j++)
                    {
                        int ko = ((bi * t + j) * hkv + kh) * d;
                        double ds = probs[po + j] * (dp[j] - rowDot) * scale;
                        for (int e = 0; e < d; e++)
                        {
                            dqAcc[qo + e] += ds * k[ko + e];
                            dkAcc[ko + e] += ds * q[qo + e];
                        }
                    }
                }
            }
        }

        Narrow(dqAcc, dq);
        Narrow(dkAcc, dk);
        Narrow(dvAcc, dv);
    }

    private static void Narrow(double[] source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }
}
