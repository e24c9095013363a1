using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Agora.Model;

namespace Agora.Bench.ModelBench;

/// <summary>
/// `side-by-side train [--config small] [--batch 8] [--seq-len T] [--threads 1,2] [--steps 3] [--warmup 1]`: times full
/// training steps (forward, backward, grad clipping and AdamW) on seeded random tokens. Prints the model's config.json
/// as one JSON line {"config": ...} (so the peer builds the same model), then one JSON line per thread count.
/// </summary>
public static class TrainSideBySide
{
    public static int Run(string[] args)
    {
        string configName = "small";
        int batch = 8, steps = 3, warmup = 1;
        int? seqLen = null;
        int[] threadCounts = [1, 2];
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            switch (args[i])
            {
                case "--config": configName = value; break;
                case "--batch": batch = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seq-len": seqLen = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--threads": threadCounts = value.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray(); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; expected --config, --batch, --seq-len, --steps, --warmup or --threads");
                    return 2;
            }
        }

        var config = ModelConfig.Named(configName);
        int t = seqLen ?? config.MaxPositionEmbeddings;
        using (var doc = JsonDocument.Parse(ModelConfigJson.Serialize(config)))
        {
            Console.WriteLine("{\"config\": " + doc.RootElement.GetRawText().ReplaceLineEndings(string.Empty) + "}");
        }

        var rng = new SplitMix64(1);
        var tokens = new int[batch * (t + 1)];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = (int)(rng.NextUInt64() % (ulong)config.VocabSize);
        }

        foreach (int threads in threadCounts)
        {
            var model = new LlamaModel(config) { Threads = threads };
            model.InitializeWeights(1);
            var optimizer = new AdamWOptimizer(model.Layout);
            void Step()
            {
                model.ForwardBackward(tokens, batch, t);
                optimizer.Update(model.Parameters, model.Gradients, 1e-4f, threads);
            }

            for (int i = 0; i < warmup; i++)
            {
                Step();
            }

            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var best = double.MaxValue;
            for (int i = 0; i < steps; i++)
            {
                var lap = Stopwatch.StartNew();
                Step();
                best = Math.Min(best, lap.Elapsed.TotalSeconds);
            }

            double seconds = watch.Elapsed.TotalSeconds / steps;
            process.Refresh();
            double cpuSeconds = (process.TotalProcessorTime - cpu0).TotalSeconds / steps;
            long stepTokens = (long)batch * t;
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("bench", "train");
                json.WriteString("impl", "csharp");
                json.WriteString("config", configName);
                json.WriteNumber("batch", batch);
                json.WriteNumber("seq_len", t);
                json.WriteNumber("threads", threads);
                json.WriteNumber("steps", steps);
                json.WriteNumber("seconds_per_step", seconds);
                json.WriteNumber("best_seconds_per_step", best);
                json.WriteNumber("tokens_per_second", stepTokens / seconds);
                json.WriteNumber("cpu_seconds_per_step", cpuSeconds);
                json.WriteNumber("tokens_per_cpu_second", stepTokens / cpuSeconds);
                json.WriteEndObject();
            }

            Console.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }

        return 0;
    }
}
