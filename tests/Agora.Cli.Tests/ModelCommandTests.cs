using System.CommandLine;
using System.Text.Json;
using Agora.Cli.Commands;
using Agora.Data;
using Agora.Model;
using Spectre.Console;

namespace Agora.Cli.Tests;

public sealed class ModelCommandTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "agora-model-cli-" + Guid.NewGuid().ToString("N"));

    public ModelCommandTests() => Directory.CreateDirectory(_scratch);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Model_loss_prints_the_pytorch_loss_of_the_tiny_fixture_and_writes_its_gradients()
    {
        string fixture = FixtureDirectory("tiny");
        string grads = Path.Combine(_scratch, "grads.safetensors");
        var (code, stdout, console) = Invoke("model", "loss", "--checkpoint", fixture, "--tokens", Path.Combine(fixture, "tokens.bin"), "--grads", grads, "--batch-size", "1", "--threads", "2");
        Assert.True(code == 0, console);

        using var printed = JsonDocument.Parse(stdout);
        using var expectedJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture, "expected.json")));
        double loss = printed.RootElement.GetProperty("loss").GetDouble();
        Assert.InRange(loss - expectedJson.RootElement.GetProperty("loss").GetDouble(), -1e-5, 1e-5);

        var (written, _) = SafeTensorsFile.Read(grads);
        var (expected, _) = SafeTensorsFile.Read(Path.Combine(fixture, "expected.safetensors"));
        var reference = expected.Where(t => t.Name.StartsWith("grad.", StringComparison.Ordinal)).ToDictionary(t => t.Name["grad.".Length..]);
        Assert.Equal(reference.Keys.Order(StringComparer.Ordinal), written.Select(t => t.Name));
        foreach (var tensor in written)
        {
            var want = reference[tensor.Name].Data;
            double scale = want.Max(Math.Abs);
            for (int i = 0; i < want.Length; i++)
            {
                Assert.True(Math.Abs(want[i] - tensor.Data[i]) <= 1e-5 * scale, $"{tensor.Name}[{i}]: {tensor.Data[i]} vs {want[i]}");
            }
        }
    }

    [Fact]
    public void Model_loss_uses_the_seq_len_option_to_cut_the_shard()
    {
        string fixture = FixtureDirectory("tiny");
        var tokens = Path.Combine(fixture, "tokens.bin");
        var (a, outA, _) = Invoke("model", "loss", "--checkpoint", fixture, "--tokens", tokens);
        var (b, outB, _) = Invoke("model", "loss", "--checkpoint", fixture, "--tokens", tokens, "--seq-len", "16");
        Assert.Equal(0, a);
        Assert.Equal(0, b);
        Assert.NotEqual(outA, outB);
    }

    [Fact]
    public void Model_loss_names_a_missing_checkpoint()
    {
        var (code, _, console) = Invoke("model", "loss", "--checkpoint", Path.Combine(_scratch, "nope"), "--tokens", "x.bin");
        Assert.Equal(1, code);
        Assert.Contains("Checkpoint directory not found", console);
    }

    [Fact]
    public void Train_writes_a_checkpoint_resumes_from_it_and_generate_prints_text()
    {
        string text = Path.Combine(_scratch, "corpus.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 400)));
        string run = Path.Combine(_scratch, "run");
        string[] common = ["train", "--config", "tiny", "--data", text, "--batch", "2", "--seq-len", "16", "--out", run, "--threads", "2", "--save-every", "2"];

        var (code, _, console) = Invoke([.. common, "--steps", "3"]);
        Assert.True(code == 0, console);
        foreach (var file in new[] { "config.json", Checkpoint.ModelFileName, Checkpoint.TrainerStateFileName, DataPreparer.TokenizerFileName })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing; output: {console}");
        }

        Assert.Equal("3", SafeTensorsFile.Read(Path.Combine(run, Checkpoint.TrainerStateFileName)).Metadata["step"]);
        var afterThree = Checkpoint.Load(run).Parameters.Data;

        (code, _, console) = Invoke([.. common, "--steps", "5", "--resume"]);
        Assert.True(code == 0, console);
        Assert.Contains("4–5", console);
        Assert.Equal("5", SafeTensorsFile.Read(Path.Combine(run, Checkpoint.TrainerStateFileName)).Metadata["step"]);
        Assert.False(afterThree.AsSpan().SequenceEqual(Checkpoint.Load(run).Parameters.Data));

        var (genCode, generated, genConsole) = Invoke("generate", "--checkpoint", run, "--prompt", "the quick", "--tokens", "8", "--temperature", "0");
        Assert.True(genCode == 0, genConsole);
        Assert.StartsWith("the quick", generated);
        Assert.True(generated.TrimEnd().Length > "the quick".Length, generated);
        var (_, again, _) = Invoke("generate", "--checkpoint", run, "--prompt", "the quick", "--tokens", "8", "--temperature", "0");
        Assert.Equal(generated, again);
    }

    [Fact]
    public void Train_with_resume_but_no_checkpoint_fails_with_the_fix()
    {
        var (code, _, console) = Invoke("train", "--config", "tiny", "--out", Path.Combine(_scratch, "empty"), "--resume", "--steps", "1");
        Assert.Equal(1, code);
        Assert.Contains("run without --resume", console);
    }

    [Fact]
    public void Train_rejects_an_unknown_config_name()
    {
        var (code, _, console) = Invoke("train", "--config", "gigantic", "--out", Path.Combine(_scratch, "x"), "--steps", "1");
        Assert.Equal(1, code);
        Assert.Contains("tiny, small, base", console);
    }

    private static (int Code, string Stdout, string Console) Invoke(params string[] args)
    {
        using var consoleText = new StringWriter();
        using var stdout = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(consoleText),
        });
        console.Profile.Width = 200;
        var root = new RootCommand();
        foreach (var command in ModelCommands.Create(console, stdout))
        {
            root.Add(command);
        }

        int code = root.Parse(args).Invoke();
        return (code, stdout.ToString(), consoleText.ToString());
    }

    private static string FixtureDirectory(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Agora.Model.Tests", "Fixtures", name);
            if (File.Exists(Path.Combine(candidate, "model.safetensors")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/Agora.Model.Tests/Fixtures/{name} not found above {AppContext.BaseDirectory}.");
    }
}
