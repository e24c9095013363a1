using System.CommandLine;
using System.Globalization;
using Agora.Model;
using Agora.SparseLoCo;
using Agora.SparseLoCo.Experiments;

namespace Agora.Cli.Commands;

/// <summary>`agora experiment compare`: SparseLoCo, DiLoCo and data-parallel training side by side in one process, on the
/// same data and token budget; writes compare.csv and compare.svg and prints a summary.</summary>
public static class ExperimentCommands
{
    public const string CsvName = "compare.csv";
    public const string SvgName = "compare.svg";

    public static Command Create(TextWriter? output = null, TextWriter? error = null)
    {
        var experiment = new Command("experiment", "Training experiments that compare SparseLoCo with its baselines.");
        experiment.Add(Compare(output, error));
        return experiment;
    }

    private static Command Compare(TextWriter? output, TextWriter? error)
    {
        var peers = new Option<int>("--peers") { Description = "Peers training in parallel.", DefaultValueFactory = _ => 4 };
        var innerSteps = new Option<int>("--inner-steps") { Description = "H: inner AdamW steps per round.", DefaultValueFactory = _ => 15 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (outer steps) per method.", Required = true };
        var config = new Option<string>("--config") { Description = $"Model config: {string.Join(", ", ModelConfig.Names)}.", DefaultValueFactory = _ => "small" };
        var data = new Option<string[]>("--data")
        {
            Description = "Text, JSONL or llm.c shard files or folders. Default: the built-in .NET SDK docs corpus.",
            AllowMultipleArgumentsPerToken = true,
        };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json to use for text instead of training one." };
        var outDir = new Option<string>("--out") { Description = "Folder for compare.csv and compare.svg.", DefaultValueFactory = _ => ".agora/experiment" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial weights, page draws and hotkeys.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch") { Description = "Sequences per peer per inner step.", DefaultValueFactory = _ => 1 };
        var seqLen = new Option<int>("--seq-len") { Description = "Tokens per sequence (default: the config's context length).", DefaultValueFactory = _ => 0 };
        var lr = new Option<float>("--lr") { Description = "Inner AdamW peak learning rate.", DefaultValueFactory = _ => 1e-3f };
        var threads = new Option<int>("--threads") { Description = "Kernel threads (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var keep = new Option<int>("--keep-per-4096") { Description = "SparseLoCo top-k: entries kept per 4096-entry chunk.", DefaultValueFactory = _ => 64 };
        var evalSequences = new Option<int>("--eval-sequences") { Description = "Held-out sequences scored after each round.", DefaultValueFactory = _ => 16 };
        var methods = new Option<string[]>("--methods")
        {
            Description = $"Methods to run: {string.Join(", ", MethodFactory.Names)} (default: all).",
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("compare", "Train the same model with SparseLoCo, DiLoCo and data-parallel SGD on the same data; report loss against tokens and bytes sent.");
        foreach (var option in new Option[] { peers, innerSteps, rounds, config, data, tokenizer, outDir, seed, batch, seqLen, lr, threads, keep, evalSequences, methods })
        {
            command.Add(option);
        }

        command.SetAction(pr =>
        {
            var stdout = output ?? Console.Out;
            var stderr = error ?? Console.Error;
            try
            {
                var modelConfig = ModelConfig.Named(pr.GetValue(config)!);
                var options = new ExperimentOptions
                {
                    Config = modelConfig,
                    ConfigName = pr.GetValue(config)!,
                    Peers = pr.GetValue(peers),
                    InnerSteps = pr.GetValue(innerSteps),
                    Rounds = pr.GetValue(rounds),
                    BatchSize = pr.GetValue(batch),
                    SequenceLength = pr.GetValue(seqLen),
                    Seed = pr.GetValue(seed),
                    InnerLearningRate = pr.GetValue(lr),
                    Threads = pr.GetValue(threads),
                    Codec = new CodecSettings { KeepPer4096 = pr.GetValue(keep) },
                    EvalSequences = pr.GetValue(evalSequences),
                };
                var selected = pr.GetValue(methods) is { Length: > 0 } m ? m : MethodFactory.Names.ToArray();
                return Run(options, pr.GetValue(data) ?? [], pr.GetValue(tokenizer), selected, pr.GetValue(outDir)!, stdout);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Runs the comparison and writes its files; returns the process exit code.</summary>
    public static int Run(ExperimentOptions options, IReadOnlyList<string> dataPaths, string? tokenizerPath, IReadOnlyList<string> methods, string outDir, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var method in methods)
        {
            if (!MethodFactory.Names.Contains(method))
            {
                throw new ArgumentException($"Unknown method '{method}'; expected one of: {string.Join(", ", MethodFactory.Names)}.");
            }
        }

        options.Validate();
        var progress = new Progress(output);
        var (tokens, source) = ExperimentInputs.Load(dataPaths, options.Config.VocabSize, tokenizerPath, progress);
        var data = new ExperimentData(tokens, options.Config.VocabSize, options.SeqLen, options.EvalSequences, source);
        output.WriteLine($"Data: {source}: {tokens.Length:N0} tokens, {data.Train.PageCount:N0} training sequences of {options.SeqLen}");
        output.WriteLine($"Config {options.ConfigName}: {options.Config.ParameterCount():N0} parameters; {options.Peers} peers × {options.InnerSteps} inner steps × {options.BatchSize} sequences per round; {options.Rounds} rounds");

        var result = ExperimentRunner.Run(options, data, methods, progress);
        Directory.CreateDirectory(outDir);
        var csvPath = Path.Combine(outDir, CsvName);
        var svgPath = Path.Combine(outDir, SvgName);
        File.WriteAllText(csvPath, ExperimentReport.Csv(result));
        File.WriteAllText(svgPath, SvgChart.Render(result));
        output.WriteLine();
        output.Write(ExperimentReport.SummaryText(result));
        output.WriteLine($"Wrote {csvPath} and {svgPath}");
        return 0;
    }

    private sealed class Progress(TextWriter output) : IProgress<RoundRecord>, IProgress<string>
    {
        public void Report(RoundRecord value) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{value.Method,-10} round {value.Round,4}  tokens {value.Tokens,12:N0}  bytes/peer {value.BytesPerPeer,14:N0}  held-out {value.HeldOutLoss:F4}  ({value.Seconds:F1} s)"));

        public void Report(string value) => output.WriteLine(value);
    }
}
