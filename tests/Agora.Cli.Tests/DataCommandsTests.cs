using System.CommandLine;
using Agora.Cli.Commands;
using Agora.Data;
using Spectre.Console;

namespace Agora.Cli.Tests;

public sealed class DataCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-cli-data-" + Guid.NewGuid().ToString("N"));

    public DataCommandsTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 250;
        var root = new RootCommand("test") { DataCommands.Create(console) };
        var exit = root.Parse(args).Invoke();
        return (exit, writer.ToString());
    }

    private string WriteCorpus()
    {
        var path = Path.Combine(_dir, "docs.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, 30).Select(i => $"{{\"text\": \"Document {i} talks about rivers, mills and the valley below.\"}}"));
        return path;
    }

    [Fact]
    public void Data_prepare_writes_shards_and_prints_the_summary_table()
    {
        var output = Path.Combine(_dir, "out");

        var (exit, text) = Run("data", "prepare", "--data", WriteCorpus(), "--vocab", "300", "--out", output);

        Assert.Equal(0, exit);
        Assert.Contains("Bytes/token", text);
        Assert.Contains("train", text);
        Assert.Contains("val", text);
        Assert.Equal(300, Tokenizer.Load(Path.Combine(output, "tokenizer.json")).VocabSize);
        Assert.True(TokenShard.ReadHeader(Path.Combine(output, "train_000000.bin")).TokenCount > 0);
        Assert.True(TokenShard.ReadHeader(Path.Combine(output, "val_000000.bin")).TokenCount > 0);
    }

    [Fact]
    public void Data_tokenizer_train_then_encode_round_trips_a_text()
    {
        var tokenizerPath = Path.Combine(_dir, "tok.json");

        var (trainExit, trainText) = Run("data", "tokenizer", "train", "--data", WriteCorpus(), "--vocab", "290", "--out", tokenizerPath);
        var (encodeExit, encodeText) = Run("data", "tokenizer", "encode", "--tokenizer", tokenizerPath, "rivers and mills");

        Assert.Equal(0, trainExit);
        Assert.Contains("vocab 290", trainText);
        Assert.Equal(0, encodeExit);
        var lines = encodeText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = lines[0].Split(' ').Select(int.Parse).ToArray();
        Assert.Equal("rivers and mills", Tokenizer.Load(tokenizerPath).Decode(ids));
        Assert.Equal("rivers and mills", lines[1].Replace("|", string.Empty, StringComparison.Ordinal).TrimEnd('\r'));
    }

    [Fact]
    public void A_missing_data_path_fails_with_a_message_and_exit_code_1()
    {
        var (exit, text) = Run("data", "prepare", "--data", Path.Combine(_dir, "nope.txt"), "--out", Path.Combine(_dir, "out"));

        Assert.Equal(1, exit);
        Assert.Contains("error:", text);
        Assert.Contains("nope.txt", text);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void A_corrupt_tokenizer_fails_with_its_defect()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, "{\"format\": \"other\"}");

        var (exit, text) = Run("data", "tokenizer", "encode", "--tokenizer", bad, "hello");

        Assert.Equal(1, exit);
        Assert.Contains("format", text);
    }
}
