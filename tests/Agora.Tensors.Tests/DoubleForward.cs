namespace Agora.Tensors.Tests;

/// <summary>Forward passes in double, written independently of the kernels, for finite-difference checks.</summary>
internal static class DoubleForward
{
    public static double[] RmsNorm(double[] x, double[] w, int n, int c, double eps)
    {
        var y = new double[n * c];
        for (int r = 0; r < n; r++)
        {
            double ss = 0;
            for (int i = 0; i < c; i++)
            {
                ss += x[r * c + i] * x[r * c + i];
            }

            double rstd = 1 / Math.Sqrt(ss / c + eps);
            for (int i = 0; i < c; i++)
            {
                y[r * c + i] = x[r * c + i] * rstd * w[i];
            }
        }

        return y;
    }

    public static double[] Rope(double[] x, int b, int t, int h, int d, double theta)
    {
        var y = (double[])x.Clone();
        int half = d / 2;
        for (int row = 0; row < b * t; row++)
        {
            int pos = row % t;
            for (int head = 0; head < h; head++)
            {
                int o = (row * h + head) * d;
                for (int i = 0; i < half; i++)
                {
                    double angle = pos / Math.Pow(theta, 2.0 * i / d);
                    y[o + i] = x[o + i] * Math.Cos(angle) - x[o + i + half] * Math.Sin(angle);
                    y[o + i + half] = x[o + i + half] * Math.Cos(angle) + x[o + i] * Math.Sin(angle);
                }
            }
        }

        return y;
    }

    public static double[] SwiGlu(double[] gate, double[] up)
    {
        var y = new double[gate.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
        }

        return y;
    }

    public static double[] Attention(double[] q, double[] k, double[] v, int b, int t, int hq, int hkv, int d)
    {
        var y = new double[q.Length];
        var w = new double[t];
        for (int bi = 0; bi < b; bi++)
        {
            for (int h = 0; h < hq; h++)
            {
                int kh = h * hkv / hq;
                for (int i = 0; i < t; i++)
                {
                    double max = double.NegativeInfinity;
                    for (int j = 0; j <= i; j++)
                    {
                        double s = 0;
                        for (int e = 0; e < d; e++)
                        {
                            s += q[((bi * t + i) * hq + h) * d + e] * k[((bi * t + j) * hkv + kh) * d + e];
                        }

                        w[j] = s / Math.Sqrt(d);
                        max = Math.Max(max, w[j]);
                    }

                    double z = 0;
                    for (int j = 0; j <= i; j++)
                    {
                        w[j] = Math.Exp(w[j] - max);
                        z += w[j];
                    }

                    for (int j = 0; j <= i; j++)
                    {
                        for (int e = 0; e < d; e++)
                        {
                            y[((bi * t + i) * hq + h) * d + e] += w[j] / z * v[((bi * t + j) * hkv + kh) * d + e];
                        }
                    }
                }
            }
        }

        return y;
    }

    public static double CrossEntropy(double[] logits, int[] targets, int n, int v)
    {
        double total = 0;
        for (int r = 0; r < n; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < v; j++)
            {
                max = Math.Max(max, logits[r * v + j]);
            }

            double z = 0;
            for (int j = 0; j < v; j++)
            {
                z += Math.Exp(logits[r * v + j] - max);
            }

            total += Math.Log(z) + max - logits[r * v + targets[r]];
        }

        return total / n;
    }
}
