using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Agora.Tensors;

namespace Agora.Bench.Tensors;

/// <summary>`side-by-side gemm [--sizes 256,512,1024] [--threads 1,2] [--layouts nn,tn,nt] [--isa best|avx2|portable]`:
/// times Gemm.MatMul* (best of several repetitions after a warm-up) and prints one JSON line per measurement
/// (wall-clock GFLOP/s, and GFLOP/s per process CPU-second).</summary>
public static class GemmSideBySide
{
    public static int Run(string[] args)
    {
        int[] sizes = [256, 512, 1024];
        int[] threadCounts = [1, 2];
        string[] layouts = ["nn"];
        string isa = "best";
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--sizes":
                    sizes = ParseInts(args[i + 1]);
                    break;
                case "--threads":
                    threadCounts = ParseInts(args[i + 1]);
                    break;
                case "--layouts":
                    layouts = args[i + 1].Split(',');
                    break;
                case "--isa":
                    isa = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; expected --sizes, --threads, --layouts or --isa");
                    return 2;
            }
        }

        using IDisposable? scope = isa switch
        {
            "best" => null,
            "avx2" => Isa.Force(IsaLevel.Avx2),
            "portable" => Isa.Force(IsaLevel.Portable),
            _ => throw new ArgumentException($"--isa must be best, avx2 or portable, got {isa}"),
        };
        foreach (int size in sizes)
        {
            foreach (string layout in layouts)
            {
                foreach (int threads in threadCounts)
                {
                    Measure(layout, size, size, size, threads);
                }
            }
        }

        return 0;
    }

    private static void Measure(string layout, int m, int k, int n, int threads)
    {
        var rng = new Random(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.NextDouble() - 0.5f;
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)rng.NextDouble() - 0.5f;
        }

        Action run = layout switch
        {
            "nn" => () => Gemm.MatMul(a, b, c, m, k, n, threads: threads),
            "tn" => () => Gemm.MatMulTransA(a, b, c, m, k, n, threads: threads),
            "nt" => () => Gemm.MatMulTransB(a, b, c, m, k, n, threads: threads),
            _ => throw new ArgumentException($"layout must be nn, tn or nt, got {layout}"),
        };
        double flops = 2.0 * m * k * n;
        int reps = Math.Max(3, (int)Math.Min(50, 4e10 / flops));
        run();
        run();
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            TimeSpan cpu0 = Environment.CpuUsage.TotalTime;
            long t0 = Stopwatch.GetTimestamp();
            run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            bestCpu = Math.Min(bestCpu, (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds);
        }

        using var stream = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("kernel", "gemm");
            json.WriteString("layout", layout);
            json.WriteNumber("m", m);
            json.WriteNumber("k", k);
            json.WriteNumber("n", n);
            json.WriteNumber("threads", threads);
            json.WriteString("isa", Isa.Level.ToString().ToLowerInvariant());
            json.WriteNumber("seconds", Math.Round(best, 7));
            json.WriteNumber("gflops", Math.Round(flops / best / 1e9, 2));

            // Process CPU time of the best repetition: on a shared, loaded machine flops per CPU-second shows the
            // kernel's speed when it does get a core (per thread: divide by threads for the per-core figure).
            json.WriteNumber("cpu_seconds", Math.Round(bestCpu, 7));
            json.WriteNumber("gflops_per_cpu_second", Math.Round(flops / Math.Max(bestCpu, 1e-9) / 1e9, 2));
            json.WriteEndObject();
        }

        stream.Write("\n"u8);
    }

    private static int[] ParseInts(string text) => [.. text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
