using Agora.Model;

namespace Agora.Model.Tests;

/// <summary>
/// An independent, naive double-precision LLaMA forward pass written straight from the Hugging Face formulas, used to
/// check the float model's loss and (by central finite differences) its gradients.
/// </summary>
internal sealed class DoubleReferenceModel
{
    private readonly ModelConfig _c;
    private readonly ParameterLayout _layout;

    public DoubleReferenceModel(ModelConfig config)
    {
        _c = config;
        _layout = new ParameterLayout(config);
    }

    public double Loss(double[] p, int[] inputs, int[] targets, int batch, int seqLen)
    {
        var logits = Logits(p, inputs, batch, seqLen);
        int v = _c.VocabSize;
        double total = 0;
        for (int i = 0; i < batch * seqLen; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < v; j++)
            {
                max = Math.Max(max, logits[(i * v) + j]);
            }

            double sum = 0;
            for (int j = 0; j < v; j++)
            {
                sum += Math.Exp(logits[(i * v) + j] - max);
            }

            total += Math.Log(sum) + max - logits[(i * v) + targets[i]];
        }

        return total / (batch * seqLen);
    }

    public double[] Logits(double[] p, int[] inputs, int batch, int seqLen)
    {
        int c = _c.HiddenSize, f = _c.IntermediateSize, kv = _c.KvDim, v = _c.VocabSize, d = _c.HeadDim;
        int hq = _c.NumAttentionHeads, hkv = _c.NumKeyValueHeads, n = batch * seqLen;
        var x = new double[n * c];
        int emb = _layout.Embedding.Offset;
        for (int i = 0; i < n; i++)
        {
            Array.Copy(p, emb + (inputs[i] * c), x, i * c, c);
        }

        foreach (var w in _layout.Layers)
        {
            var h = Norm(x, p, w.InputNorm.Offset, n, c);
            var q = Linear(h, p, w.Q.Offset, n, c, c);
            var k = Linear(h, p, w.K.Offset, n, c, kv);
            var val = Linear(h, p, w.V.Offset, n, c, kv);
            Rotate(q, batch, seqLen, hq, d);
            Rotate(k, batch, seqLen, hkv, d);
            var att = new double[n * c];
            for (int b = 0; b < batch; b++)
            {
                for (int head = 0; head < hq; head++)
                {
                    int kvHead = head / (hq / hkv);
                    for (int t = 0; t < seqLen; t++)
                    {
                        var scores = new double[t + 1];
                        double max = double.NegativeInfinity;
                        for (int s = 0; s <= t; s++)
                        {
                            double dot = 0;
                            for (int i = 0; i < d; i++)
                            {
                                dot += q[((((b * seqLen) + t) * hq) + head) * d + i] * k[((((b * seqLen) + s) * hkv) + kvHead) * d + i];
                            }

                            scores[s] = dot / Math.Sqrt(d);
                            max = Math.Max(max, scores[s]);
                        }

                        double sum = 0;
                        for (int s = 0; s <= t; s++)
                        {
                            scores[s] = Math.Exp(scores[s] - max);
                            sum += scores[s];
                        }

                        for (int s = 0; s <= t; s++)
                        {
                            for (int i = 0; i < d; i++)
                            {
                                att[((((b * seqLen) + t) * hq) + head) * d + i] += scores[s] / sum * val[((((b * seqLen) + s) * hkv) + kvHead) * d + i];
                            }
                        }
                    }
                }
            }

            Add(x, Linear(att, p, w.O.Offset, n, c, c));
            var h2 = Norm(x, p, w.PostAttentionNorm.Offset, n, c);
            var gate = Linear(h2, p, w.Gate.Offset, n, c, f);
            var up = Linear(h2, p, w.Up.Offset, n, c, f);
            for (int i = 0; i < gate.Length; i++)
            {
                gate[i] = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
            }

            Add(x, Linear(gate, p, w.Down.Offset, n, f, c));
        }

        var final = Norm(x, p, _layout.FinalNorm.Offset, n, c);
        return Linear(final, p, emb, n, c, v);
    }

    private double[] Norm(double[] x, double[] p, int weight, int n, int c)
    {
        var y = new double[x.Length];
        for (int i = 0; i < n; i++)
        {
            double ms = 0;
            for (int j = 0; j < c; j++)
            {
                ms += x[(i * c) + j] * x[(i * c) + j];
            }

            double r = 1.0 / Math.Sqrt((ms / c) + _c.RmsNormEps);
            for (int j = 0; j < c; j++)
            {
                y[(i * c) + j] = x[(i * c) + j] * r * p[weight + j];
            }
        }

        return y;
    }

    // y (N, out) = x (N, in) · Wᵀ with W (out, in) at p[offset]
    private static double[] Linear(double[] x, double[] p, int offset, int n, int inDim, int outDim)
    {
        var y = new double[n * outDim];
        for (int i = 0; i < n; i++)
        {
            for (int o = 0; o < outDim; o++)
            {
                double s = 0;
                for (int j = 0; j < inDim; j++)
                {
                    s += x[(i * inDim) + j] * p[offset + (o * inDim) + j];
                }

                y[(i * outDim) + o] = s;
            }
        }

        return y;
    }

    // HF "rotate half": pairs (i, i + D/2), angle = t · θ^(−2i/D)
    private void Rotate(double[] x, int batch, int seqLen, int heads, int d)
    {
        int half = d / 2;
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < seqLen; t++)
            {
                for (int h = 0; h < heads; h++)
                {
                    int baseIndex = ((((b * seqLen) + t) * heads) + h) * d;
                    for (int i = 0; i < half; i++)
                    {
                        double angle = t * Math.Pow(_c.RopeTheta, -2.0 * i / d);
                        double x1 = x[baseIndex + i], x2 = x[baseIndex + i + half];
                        x[baseIndex + i] = (x1 * Math.Cos(angle)) - (x2 * Math.Sin(angle));
                        x[baseIndex + i + half] = (x2 * Math.Cos(angle)) + (x1 * Math.Sin(angle));
                    }
                }
            }
        }
    }

    private static void Add(double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += y[i];
        }
    }
}
