using System.Diagnostics;
using System.Globalization;
using Agora.Core.Crypto;
using Agora.Model;
using Agora.SparseLoCo;
using Agora.SparseLoCo.Aggregation;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Fuzzing;
using Agora.SparseLoCo.Wire;

namespace Agora.Bench.SparseLoCoBench;

/// <summary>`side-by-side sparseloco bytes|codec|fuzz`: payload bytes per round per peer against fp32, single-thread
/// encode+decode throughput, and the million-mutation decoder fuzz. One JSON line per measurement.</summary>
public static class SparseLoCoSideBySide
{
    public static int Run(string[] args)
    {
        var what = args.Length > 0 ? args[0] : "all";
        var config = Arg(args, "--config", "small");
        switch (what)
        {
            case "bytes":
                Bytes();
                return 0;
            case "codec":
                Codec(config, int.Parse(Arg(args, "--repeats", "5"), CultureInfo.InvariantCulture));
                return 0;
            case "fuzz":
                return Fuzz(int.Parse(Arg(args, "--iterations", "1000000"), CultureInfo.InvariantCulture));
            case "all":
                Bytes();
                Codec(config, 5);
                return Fuzz(1_000_000);
            default:
                Console.Error.WriteLine("usage: side-by-side sparseloco [bytes | codec [--config NAME] [--repeats N] | fuzz [--iterations N] | all]");
                return 2;
        }
    }

    private static void Bytes()
    {
        foreach (var name in ModelConfig.Names)
        {
            var layout = TensorLayout.FromModel(new ParameterLayout(ModelConfig.Named(name)));
            var payload = PayloadFormat.SizeOf(layout, CodecSettings.Default);
            var fp32 = 4L * layout.TotalElements;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"sparseloco.bytes\",\"config\":\"{name}\",\"params\":{layout.TotalElements},\"tensors\":{layout.Count},\"payload_bytes\":{payload},\"fp32_bytes\":{fp32},\"ratio_vs_fp32\":{(double)fp32 / payload:F2},\"bits_per_param\":{8.0 * payload / layout.TotalElements:F4}}}"));
        }
    }

    private static void Codec(string config, int repeats)
    {
        var layout = TensorLayout.FromModel(new ParameterLayout(ModelConfig.Named(config)));
        var random = new Random(1);
        var delta = new float[layout.TotalElements];
        for (var i = 0; i < delta.Length; i++)
        {
            delta[i] = (float)((random.NextDouble() - 0.5) * 1e-3);
        }

        var compressor = new ErrorFeedbackCompressor(layout);
        var key = Ed25519KeyPair.FromSeed(new byte[32]);
        var hash = layout.Fingerprint();
        var expectation = new PayloadExpectation(layout, hash);
        var aggregator = new SparseAggregator(layout);
        var header = new PayloadHeader(hash, 0, 0);

        // Wall time and this process's CPU time are both reported: on a loaded machine the CPU time of a single-threaded
        // loop is the better estimate of what one dedicated thread achieves.
        double compress = double.MaxValue, encode = double.MaxValue, decode = double.MaxValue, dequantize = double.MaxValue, cpu = 0;
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r <= repeats; r++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var w = Stopwatch.StartNew();
            var update = compressor.Compress(delta);
            var t1 = w.Elapsed.TotalSeconds;
            var bytes = PayloadEncoder.Encode(update, header, key);
            var t2 = w.Elapsed.TotalSeconds;
            var decoded = PayloadDecoder.Decode(bytes, expectation, key.PublicKey);
            var t3 = w.Elapsed.TotalSeconds;
            aggregator.Aggregate([decoded]);
            var t4 = w.Elapsed.TotalSeconds;
            process.Refresh();
            var cpuSeconds = (process.TotalProcessorTime - cpu0).TotalSeconds;
            if (r > 0)
            {
                compress = Math.Min(compress, t1);
                encode = Math.Min(encode, t2 - t1);
                decode = Math.Min(decode, t3 - t2);
                dequantize = Math.Min(dequantize, t4 - t3);
                cpu += cpuSeconds / repeats; // the mean, since the process clock ticks every 10 ms
            }
        }

        var n = (double)layout.TotalElements;
        var total = compress + encode + decode + dequantize;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"sparseloco.codec\",\"config\":\"{config}\",\"threads\":1,\"params\":{layout.TotalElements},\"compress_s\":{compress:F5},\"wire_encode_s\":{encode:F5},\"wire_decode_s\":{decode:F5},\"aggregate_1_peer_s\":{dequantize:F5},\"params_per_s_wall\":{n / total:F0},\"params_per_s_cpu\":{n / cpu:F0}}}"));
    }

    private static int Fuzz(int iterations)
    {
        var w = Stopwatch.StartNew();
        var report = PayloadFuzzer.Run(iterations, seed: 1);
        var rules = string.Join(",", report.Rejections.Select(kv => $"\"{kv.Key}\":{kv.Value}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"sparseloco.fuzz\",\"iterations\":{report.Iterations},\"crashes\":{report.Crashes.Count},\"accepted_unchanged\":{report.Accepted},\"seconds\":{w.Elapsed.TotalSeconds:F1},\"rejections\":{{{rules}}}}}"));
        foreach (var crash in report.Crashes.Take(10))
        {
            Console.Error.WriteLine(crash);
        }

        return report.Crashes.Count == 0 ? 0 : 1;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
