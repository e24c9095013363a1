using Agora.Tensors;
using BenchmarkDotNet.Attributes;

namespace Agora.Bench.Tensors;

/// <summary>The row kernels at the `small` model shape (B·T = 2048 rows, C = 256, F = 1024, V = 4096, 4 heads).</summary>
public class KernelBenchmarks
{
    private const int Rows = 2048, C = 256, F = 1024, V = 4096, B = 8, T = 256, H = 4, D = 64;
    private float[] x = [], w = [], y = [], rstd = [], gate = [], up = [], act = [], logits = [], probs = [];
    private float[] q = [], k = [], v = [], att = [], attProbs = [];
    private int[] targets = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        float[] Fill(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f)];
        x = Fill(Rows * C);
        w = Fill(C);
        y = new float[Rows * C];
        rstd = new float[Rows];
        gate = Fill(Rows * F);
        up = Fill(Rows * F);
        act = new float[Rows * F];
        logits = Fill(Rows * V);
        probs = new float[Rows * V];
        targets = [.. Enumerable.Range(0, Rows).Select(_ => rng.Next(V))];
        q = Fill(B * T * H * D);
        k = Fill(B * T * H * D);
        v = Fill(B * T * H * D);
        att = new float[B * T * H * D];
        attProbs = new float[B * H * T * T];
    }

    [Benchmark]
    public void RmsNormForward() => RmsNorm.Forward(x, w, y, rstd, Rows, C, 1e-5f, Threads);

    [Benchmark]
    public void SwiGluForward() => SwiGlu.Forward(gate, up, act, Rows * F, Threads);

    [Benchmark]
    public float CrossEntropyForward() => CrossEntropy.Forward(logits, targets, probs, Rows, V, Threads);

    [Benchmark]
    public void AttentionForward() => Attention.Forward(q, k, v, att, attProbs, B, T, H, H, D, Threads);
}
