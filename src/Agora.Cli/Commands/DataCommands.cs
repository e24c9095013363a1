using System.CommandLine;
using System.Globalization;
using Agora.Data;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>
/// `agora data …`: prepare token shards and train tokenizers. Without --data the built-in corpus (the .NET SDK's
/// English API documentation) is used, so this works offline on a fresh machine.
/// </summary>
public static class DataCommands
{
    public const string DefaultOutput = ".agora/data";

    public static Command Create(IAnsiConsole? console = null)
    {
        var data = new Command("data", "Prepare training data: tokenizer and llm.c token shards.");
        data.Add(Prepare(console));
        var tokenizer = new Command("tokenizer", "Train and inspect byte-level BPE tokenizers.");
        tokenizer.Add(TrainTokenizer(console));
        tokenizer.Add(Encode(console));
        data.Add(tokenizer);
        return data;
    }

    private static Option<string[]> DataOption() => new("--data")
    {
        Description = "Text files, JSONL files (field \"text\"), llm.c shards, or folders of them. Default: the built-in .NET SDK docs corpus.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static Option<int> VocabOption() => new("--vocab")
    {
        Description = "Vocabulary size of a trained tokenizer (256 bytes + merges + <|eot|>).",
        DefaultValueFactory = _ => 4096,
    };

    private static Command Prepare(IAnsiConsole? console)
    {
        var dataOption = DataOption();
        var vocabOption = VocabOption();
        var tokenizerOption = new Option<string?>("--tokenizer") { Description = "Use this tokenizer.json instead of training one." };
        var outOption = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => DefaultOutput };
        var command = new Command("prepare", "Train (or load) a tokenizer and write tokenizer.json, train_*.bin and val_*.bin.");
        command.Add(dataOption);
        command.Add(vocabOption);
        command.Add(tokenizerOption);
        command.Add(outOption);
        command.SetAction(pr =>
        {
            var ui = console ?? AnsiConsole.Console;
            return Run(ui, () =>
            {
                var options = new PrepareOptions(pr.GetValue(outOption)!)
                {
                    DataPaths = pr.GetValue(dataOption) ?? [],
                    VocabSize = pr.GetValue(vocabOption),
                    TokenizerPath = pr.GetValue(tokenizerOption),
                };
                var summary = WithProgress(ui, progress => DataPreparer.Prepare(options, progress));
                ui.Write(SummaryTable(summary));
                ui.MarkupLine($"Source: {Markup.Escape(summary.Source)}");
                ui.MarkupLine(
                    $"Tokenizer: {Markup.Escape(summary.TokenizerPath)} ({(summary.TokenizerTrained ? "trained" : "loaded")}, vocab {summary.VocabSize})");
                foreach (var shard in summary.Train.Shards.Concat(summary.Validation.Shards))
                {
                    ui.MarkupLine($"Shard: {Markup.Escape(shard)}");
                }
            });
        });
        return command;
    }

    private static Command TrainTokenizer(IAnsiConsole? console)
    {
        var dataOption = DataOption();
        var vocabOption = VocabOption();
        var outOption = new Option<string>("--out")
        {
            Description = "Where to write the tokenizer JSON.",
            DefaultValueFactory = _ => Path.Combine(DefaultOutput, DataPreparer.TokenizerFileName),
        };
        var command = new Command("train", "Train a byte-level BPE tokenizer and save it as JSON.");
        command.Add(dataOption);
        command.Add(vocabOption);
        command.Add(outOption);
        command.SetAction(pr =>
        {
            var ui = console ?? AnsiConsole.Console;
            return Run(ui, () =>
            {
                var paths = pr.GetValue(dataOption) ?? [];
                var tokenizer = WithProgress(ui, progress =>
                {
                    progress.Report(new PrepareProgress("Reading data", 0));
                    var documents = paths.Length == 0 ? SdkDocsCorpus.Load().ToList() : DataSources.Load(paths).Documents;
                    progress.Report(new PrepareProgress("Reading data", 1));
                    if (documents.Count == 0)
                    {
                        throw new InvalidDataException("The data holds no text documents to train a tokenizer on.");
                    }

                    return Tokenizer.Train(
                        documents.Select(d => d.Text), pr.GetValue(vocabOption), new StageProgress(progress, "Training tokenizer"));
                });
                var output = pr.GetValue(outOption)!;
                tokenizer.Save(output);
                ui.MarkupLine($"Tokenizer: {Markup.Escape(output)} (vocab {tokenizer.VocabSize}, {tokenizer.Merges.Count} merges)");
            });
        });
        return command;
    }

    private static Command Encode(IAnsiConsole? console)
    {
        var tokenizerOption = new Option<string>("--tokenizer")
        {
            Description = "The tokenizer JSON.",
            DefaultValueFactory = _ => Path.Combine(DefaultOutput, DataPreparer.TokenizerFileName),
        };
        var textArgument = new Argument<string>("text") { Description = "Text to encode." };
        var command = new Command("encode", "Show the tokens of a text.");
        command.Add(tokenizerOption);
        command.Add(textArgument);
        command.SetAction(pr =>
        {
            var ui = console ?? AnsiConsole.Console;
            return Run(ui, () =>
            {
                var tokenizer = Tokenizer.Load(pr.GetValue(tokenizerOption)!);
                var ids = tokenizer.Encode(pr.GetValue(textArgument)!);
                ui.WriteLine(string.Join(' ', ids));
                ui.WriteLine(string.Join('|', ids.Select(id => tokenizer.Decode([id]))));
            });
        });
        return command;
    }

    private static Table SummaryTable(PrepareSummary summary)
    {
        var table = new Table().AddColumns("Split", "Docs", "Bytes", "Tokens", "Bytes/token");
        foreach (var split in new[] { summary.Train, summary.Validation })
        {
            AddRow(table, split.Name, split.Documents, split.Bytes, split.Tokens);
        }

        AddRow(
            table,
            "total",
            summary.Train.Documents + summary.Validation.Documents,
            summary.Train.Bytes + summary.Validation.Bytes,
            summary.Train.Tokens + summary.Validation.Tokens);
        return table;
    }

    private static void AddRow(Table table, string name, int docs, long bytes, long tokens)
    {
        var ratio = tokens == 0 || bytes == 0 ? "-" : ((double)bytes / tokens).ToString("F2", CultureInfo.InvariantCulture);
        table.AddRow(
            name,
            docs.ToString("N0", CultureInfo.InvariantCulture),
            bytes.ToString("N0", CultureInfo.InvariantCulture),
            tokens.ToString("N0", CultureInfo.InvariantCulture),
            ratio);
    }

    private static T WithProgress<T>(IAnsiConsole ui, Func<IProgress<PrepareProgress>, T> work)
    {
        T result = default!;
        ui.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx => result = work(new StageTasks(ctx)));
        return result;
    }

    private static int Run(IAnsiConsole ui, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or TokenizerFormatException or TokenShardFormatException
                                      or CorpusNotFoundException or ArgumentException or UnauthorizedAccessException)
        {
            ui.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }

    /// <summary>One progress bar per stage, created the first time the stage reports; runs on the caller's thread.</summary>
    private sealed class StageTasks(ProgressContext context) : IProgress<PrepareProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(PrepareProgress value)
        {
            if (!_tasks.TryGetValue(value.Stage, out var task))
            {
                task = context.AddTask(Markup.Escape(value.Stage), maxValue: 1.0);
                _tasks[value.Stage] = task;
            }

            // Redirected output prints a line per refresh, so only steps of 5% (and completion) are shown.
            var fraction = Math.Clamp(value.Fraction, 0, 1);
            if (fraction < 1 && task.Value > 0 && fraction - task.Value < 0.05)
            {
                return;
            }

            task.Value = fraction;
            if (fraction >= 1)
            {
                task.StopTask();
            }

            context.Refresh();
        }
    }

    private sealed class StageProgress(IProgress<PrepareProgress> inner, string stage) : IProgress<double>
    {
        public void Report(double value) => inner.Report(new PrepareProgress(stage, value));
    }
}
