using Agora.Tensors;
using BenchmarkDotNet.Attributes;

namespace Agora.Bench.Tensors;

/// <summary>`dotnet run -c Release --project bench/Agora.Bench -- --filter '*GemmBenchmarks*'`: the three GEMM layouts at
/// square sizes, single- and two-threaded. GFLOP/s = 2·N³ / mean time.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] a = [];
    private float[] b = [];
    private float[] c = [];

    [Params(256, 512, 1024)]
    public int N { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        a = new float[N * N];
        b = new float[N * N];
        c = new float[N * N];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.NextDouble() - 0.5f;
            b[i] = (float)rng.NextDouble() - 0.5f;
        }
    }

    [Benchmark(Baseline = true)]
    public void MatMul() => Gemm.MatMul(a, b, c, N, N, N, threads: Threads);

    [Benchmark]
    public void MatMulTransA() => Gemm.MatMulTransA(a, b, c, N, N, N, threads: Threads);

    [Benchmark]
    public void MatMulTransB() => Gemm.MatMulTransB(a, b, c, N, N, N, threads: Threads);
}
