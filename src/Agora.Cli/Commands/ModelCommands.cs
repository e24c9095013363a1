using System.CommandLine;
using System.Globalization;
using Agora.Data;
using Agora.Model;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>
/// The model area's commands: `agora train`, `agora generate` and `agora model loss`. Machine-readable output goes to
/// <c>stdout</c>; human output and errors go through Spectre.Console.
/// </summary>
public static class ModelCommands
{
    public static IEnumerable<Command> Create(IAnsiConsole? console = null, TextWriter? stdout = null)
    {
        yield return TrainCommand.Create(console);
        yield return GenerateCommand.Create(console, stdout);
        var model = new Command("model", "Inspect and evaluate model checkpoints.");
        model.Add(Loss(console, stdout));
        yield return model;
    }

    /// <summary>The option every model command shares: worker threads (results do not depend on it).</summary>
    internal static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "Worker threads for the kernels (results are bit-identical for any count).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    private static Command Loss(IAnsiConsole? console, TextWriter? stdout)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint directory (config.json + model.safetensors).", Required = true };
        var tokens = new Option<string>("--tokens") { Description = "llm.c token shard, read as consecutive sequences of seq_len+1 tokens.", Required = true };
        var seqLen = new Option<int?>("--seq-len") { Description = "Sequence length (default: max_position_embeddings)." };
        var batch = new Option<int>("--batch-size") { Description = "Sequences per forward pass (memory only; the mean is over all positions).", DefaultValueFactory = _ => 8 };
        var grads = new Option<string?>("--grads") { Description = "Also write the gradient of the mean loss for every parameter to this safetensors file." };
        var threads = ThreadsOption();
        var command = new Command("loss", "Mean next-token cross-entropy of a checkpoint on a token shard; prints {\"loss\": ...}.");
        command.Add(checkpoint);
        command.Add(tokens);
        command.Add(seqLen);
        command.Add(batch);
        command.Add(grads);
        command.Add(threads);
        command.SetAction(pr => Run(console ?? AnsiConsole.Console, () =>
            RunLoss(pr.GetValue(checkpoint)!, pr.GetValue(tokens)!, pr.GetValue(seqLen), pr.GetValue(batch), pr.GetValue(grads), pr.GetValue(threads), stdout ?? Console.Out)));
        return command;
    }

    /// <summary>`agora model loss`: writes one JSON line {"loss": mean} (round-trip precision) to <paramref name="stdout"/>.</summary>
    public static void RunLoss(string checkpointDir, string tokensPath, int? seqLen, int batchSize, string? gradsPath, int threads, TextWriter stdout)
    {
        var model = Checkpoint.Load(checkpointDir);
        model.Threads = CheckThreads(threads);
        var stream = TokenShard.Read(tokensPath, model.Config.VocabSize);
        int t = seqLen ?? model.Config.MaxPositionEmbeddings;
        var (loss, _) = SequenceLoss.Evaluate(model, stream, t, batchSize, withGradients: gradsPath is not null);
        if (gradsPath is not null)
        {
            Checkpoint.SaveTensors(gradsPath, model.Gradients, metadata: new Dictionary<string, string> { ["format"] = "agora.gradients" });
        }

        stdout.WriteLine("{\"loss\": " + loss.ToString("R", CultureInfo.InvariantCulture) + "}");
    }

    internal static int CheckThreads(int threads) => threads is >= 1 and <= 1024
        ? threads
        : throw new ArgumentOutOfRangeException(nameof(threads), threads, "--threads must be between 1 and 1024.");

    /// <summary>Runs a command body, turning expected failures into one red line and exit code 1.</summary>
    internal static int Run(IAnsiConsole ui, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or TokenizerFormatException or TokenShardFormatException
                                      or CorpusNotFoundException or ArgumentException or UnauthorizedAccessException or InvalidOperationException)
        {
            ui.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }
}
