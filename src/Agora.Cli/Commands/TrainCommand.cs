using System.CommandLine;
using System.Globalization;
using Agora.Data;
using Agora.Model;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>
/// `agora train`: trains a model on --data (or the built-in corpus), shows loss and tokens/s live, checkpoints every
/// --save-every steps into --out (config.json, model.safetensors, trainer_state.safetensors, tokenizer.json), and with
/// --resume continues from the checkpoint there bit-identically.
/// </summary>
public static class TrainCommand
{
    private const string SourcesFileName = "sources.txt";

    /// <summary>Everything one training run needs; the command line fills it.</summary>
    public sealed record Settings(
        string Config,
        IReadOnlyList<string> Data,
        int Steps,
        int Batch,
        int? SeqLen,
        float LearningRate,
        int? Warmup,
        int Accumulation,
        int Threads,
        string? Out,
        bool Resume,
        int SaveEvery,
        ulong Seed);

    public static Command Create(IAnsiConsole? console = null)
    {
        var config = new Option<string>("--config") { Description = "Named config (tiny, small, base) or a config.json path.", DefaultValueFactory = _ => "small" };
        var data = new Option<string[]>("--data") { Description = "Text/JSONL files, llm.c shards, folders, or a folder from `agora data prepare`. Default: the built-in corpus.", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int>("--steps") { Description = "Total optimizer steps (the cosine schedule ends here).", DefaultValueFactory = _ => 1000 };
        var batch = new Option<int>("--batch") { Description = "Sequences per micro-batch.", DefaultValueFactory = _ => 8 };
        var seqLen = new Option<int?>("--seq-len") { Description = "Sequence length (default: max_position_embeddings)." };
        var lr = new Option<float>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 2e-3f };
        var warmup = new Option<int?>("--warmup") { Description = "Warmup steps (default: min(100, steps/10))." };
        var accumulation = new Option<int>("--accum") { Description = "Micro-batches per optimizer step.", DefaultValueFactory = _ => 1 };
        var threads = ModelCommands.ThreadsOption();
        var output = new Option<string?>("--out") { Description = "Checkpoint directory (default: .agora/runs/CONFIG)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --out." };
        var saveEvery = new Option<int>("--save-every") { Description = "Checkpoint every N steps (and at the end).", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong>("--seed") { Description = "Weight initialization seed.", DefaultValueFactory = _ => 1UL };
        var command = new Command("train", "Train the model on text, showing loss, tokens/s and ETA; checkpoints and resumes.");
        foreach (var option in new Option[] { config, data, steps, batch, seqLen, lr, warmup, accumulation, threads, output, resume, saveEvery, seed })
        {
            command.Add(option);
        }

        command.SetAction(pr =>
        {
            var ui = console ?? AnsiConsole.Console;
            return ModelCommands.Run(ui, () => Run(ui, new Settings(
                pr.GetValue(config)!, pr.GetValue(data) ?? [], pr.GetValue(steps), pr.GetValue(batch), pr.GetValue(seqLen), pr.GetValue(lr),
                pr.GetValue(warmup), pr.GetValue(accumulation), pr.GetValue(threads), pr.GetValue(output), pr.GetValue(resume),
                pr.GetValue(saveEvery), pr.GetValue(seed))));
        });
        return command;
    }

    public static void Run(IAnsiConsole ui, Settings s)
    {
        if (s.Steps <= 0 || s.Batch <= 0 || s.SaveEvery <= 0)
        {
            throw new ArgumentException($"--steps ({s.Steps}), --batch ({s.Batch}) and --save-every ({s.SaveEvery}) must be positive.");
        }

        var config = File.Exists(s.Config) ? ModelConfigJson.Read(s.Config) : ModelConfig.Named(s.Config);
        string outDir = s.Out ?? Path.Combine(".agora", "runs", File.Exists(s.Config) ? Path.GetFileNameWithoutExtension(s.Config) : s.Config);
        int seqLen = s.SeqLen ?? config.MaxPositionEmbeddings;
        int threads = ModelCommands.CheckThreads(s.Threads);

        LlamaModel model;
        bool resuming = s.Resume && File.Exists(Path.Combine(outDir, Checkpoint.ModelFileName));
        if (s.Resume && !resuming)
        {
            throw new FileNotFoundException($"--resume: no checkpoint in {outDir}; run without --resume to start one.");
        }

        if (resuming)
        {
            model = Checkpoint.Load(outDir);
            if (model.Config != config)
            {
                throw new InvalidDataException($"--resume: the checkpoint in {outDir} has a different model config than --config {s.Config}.");
            }
        }
        else
        {
            model = new LlamaModel(config);
            model.InitializeWeights(s.Seed);
        }

        Directory.CreateDirectory(outDir);
        var (tokenizer, train, validation) = LoadData(ui, s.Data, outDir, config);
        File.Copy(tokenizer, Path.Combine(outDir, DataPreparer.TokenizerFileName), overwrite: true);

        var options = new TrainerOptions(s.LearningRate, s.Warmup ?? Math.Min(100, s.Steps / 10), s.Steps, s.Accumulation, threads);
        var trainer = new Trainer(model, new TokenStreamBatches(train, s.Batch, seqLen), options);
        if (resuming)
        {
            trainer.RestoreState(outDir);
        }

        ui.MarkupLine($"Model [bold]{Markup.Escape(s.Config)}[/]: {config.ParameterCount():N0} parameters; batch {s.Batch}×{seqLen}×{s.Accumulation}; {threads} threads; {train.Length:N0} training tokens");
        if (trainer.Step >= s.Steps)
        {
            ui.MarkupLine($"The checkpoint is already at step {trainer.Step} of {s.Steps}; nothing to do.");
            return;
        }

        long startStep = trainer.Step;
        var results = new List<TrainStepResult>();
        ui.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Describe(null, s.Steps), maxValue: s.Steps);
                task.Value = trainer.Step;
                while (trainer.Step < s.Steps)
                {
                    var result = trainer.TrainStep();
                    results.Add(result);
                    task.Value = result.Step;
                    task.Description = Describe(result, s.Steps);
                    if (result.Step % s.SaveEvery == 0 || result.Step == s.Steps)
                    {
                        trainer.Save(outDir);
                    }
                }
            });

        double seconds = results.Sum(r => r.Elapsed.TotalSeconds);
        double tokensPerSecond = results.Sum(r => r.Tokens) / Math.Max(seconds, 1e-9);
        var lastLosses = results.TakeLast(Math.Min(10, results.Count)).Average(r => r.Loss);
        var table = new Table().AddColumns("steps", "first loss", "last-10 loss", "validation loss", "tokens/s", "time");
        table.AddRow(
            $"{startStep + 1}–{trainer.Step}",
            results[0].Loss.ToString("F4", CultureInfo.InvariantCulture),
            lastLosses.ToString("F4", CultureInfo.InvariantCulture),
            ValidationLoss(model, validation, seqLen, s.Batch),
            tokensPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));
        ui.Write(table);
        ui.MarkupLine($"Checkpoint: {Markup.Escape(Path.GetFullPath(outDir))}");
    }

    private static string Describe(TrainStepResult? r, int steps) => r is null
        ? $"step 0/{steps}"
        : string.Create(CultureInfo.InvariantCulture, $"step {r.Step}/{steps}  loss {r.Loss:F4}  lr {r.LearningRate:E2}  {r.TokensPerSecond:N0} tok/s");

    private static string ValidationLoss(LlamaModel model, int[] validation, int seqLen, int batch)
    {
        // A bounded sample keeps the summary quick on big validation splits.
        int row = seqLen + 1, sequences = Math.Min(validation.Length / row, 4 * batch);
        if (sequences == 0)
        {
            return "-";
        }

        var (loss, _) = SequenceLoss.Evaluate(model, validation.AsSpan(0, sequences * row), seqLen, batch, withGradients: false);
        return loss.ToString("F4", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Uses a folder from `agora data prepare` as it is; otherwise prepares --data (or the built-in corpus) with a
    /// tokenizer of the model's vocabulary into OUT/data, reusing that folder when it was made from the same sources.
    /// </summary>
    private static (string Tokenizer, int[] Train, int[] Validation) LoadData(IAnsiConsole ui, IReadOnlyList<string> data, string outDir, ModelConfig config)
    {
        string folder;
        if (data.Count == 1 && IsPrepared(data[0]))
        {
            folder = data[0];
        }
        else
        {
            folder = Path.Combine(outDir, "data");
            string sources = data.Count == 0 ? "built-in" : string.Join('\n', data.Select(Path.GetFullPath));
            string marker = Path.Combine(folder, SourcesFileName);
            if (!(IsPrepared(folder) && File.Exists(marker) && File.ReadAllText(marker) == sources + $"\nvocab {config.VocabSize}"))
            {
                var options = new PrepareOptions(folder) { DataPaths = data, VocabSize = config.VocabSize };
                ui.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
                    .Start(ctx =>
                    {
                        var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                        DataPreparer.Prepare(options, new InlineProgress(p =>
                        {
                            if (!tasks.TryGetValue(p.Stage, out var task))
                            {
                                tasks[p.Stage] = task = ctx.AddTask(p.Stage, maxValue: 1);
                            }

                            task.Value = p.Fraction;
                        }));
                    });
                File.WriteAllText(marker, sources + $"\nvocab {config.VocabSize}");
            }
        }

        string tokenizer = Path.Combine(folder, DataPreparer.TokenizerFileName);
        var vocab = Tokenizer.Load(tokenizer).VocabSize;
        if (vocab > config.VocabSize)
        {
            throw new InvalidDataException($"The tokenizer in {folder} has {vocab} ids, more than the model's vocab_size {config.VocabSize}.");
        }

        var train = ReadShards(folder, "train_", config.VocabSize);
        var validation = ReadShards(folder, "val_", config.VocabSize);
        ui.MarkupLine($"Data: {Markup.Escape(folder)} (tokenizer vocab {vocab})");
        return (tokenizer, train, validation);
    }

    private static bool IsPrepared(string folder) => Directory.Exists(folder)
        && File.Exists(Path.Combine(folder, DataPreparer.TokenizerFileName))
        && Directory.EnumerateFiles(folder, "train_*.bin").Any();

    private static int[] ReadShards(string folder, string prefix, int vocab)
    {
        var files = Directory.EnumerateFiles(folder, prefix + "*.bin").Order(StringComparer.Ordinal);
        return files.SelectMany(f => TokenShard.Read(f, vocab)).ToArray();
    }

    /// <summary>Runs the callback on the reporting thread (System.Progress would post to the thread pool).</summary>
    private sealed class InlineProgress(Action<PrepareProgress> report) : IProgress<PrepareProgress>
    {
        public void Report(PrepareProgress value) => report(value);
    }
}
