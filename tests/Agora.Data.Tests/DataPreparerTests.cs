namespace Agora.Data.Tests;

public sealed class DataPreparerTests
{
    private static readonly string[] Sentences =
    [
        "The river runs past the old mill and into the valley.",
        "Every morning the baker opens the shop before sunrise.",
        "A quiet library holds more stories than a noisy street.",
        "Children learn to count with stones, sticks and songs.",
    ];

    private static void WriteDocs(TempDirectory dir, int count)
    {
        var lines = Enumerable.Range(0, count).Select(i => $"{{\"text\": \"{Sentences[i % 4]} Number {i}.\"}}");
        File.WriteAllLines(dir.File("docs.jsonl"), lines);
    }

    [Fact]
    public void Prepare_writes_a_tokenizer_and_shards_that_decode_back_to_the_documents()
    {
        using var dir = new TempDirectory();
        WriteDocs(dir, 40);
        var output = Path.Combine(dir.Path, "out");

        var summary = DataPreparer.Prepare(new PrepareOptions(output) { DataPaths = [dir.File("docs.jsonl")], VocabSize = 300 });

        Assert.True(summary.TokenizerTrained);
        Assert.Equal(38, summary.Train.Documents);
        Assert.Equal(2, summary.Validation.Documents);
        var tokenizer = Tokenizer.Load(summary.TokenizerPath);
        Assert.Equal(300, tokenizer.VocabSize);

        var val = TokenShard.Read(Assert.Single(summary.Validation.Shards), tokenizer.VocabSize);
        Assert.Equal(summary.Validation.Tokens, val.Length);
        Assert.Equal(tokenizer.EotId, val[0]);
        var text = tokenizer.Decode(val);
        Assert.Equal("<|eot|>" + Sentences[3] + " Number 19.<|eot|>" + Sentences[3] + " Number 39.", text);
        Assert.True(summary.Train.BytesPerToken > 1.5);
    }

    [Fact]
    public void Prepare_with_few_documents_holds_out_the_tail_of_each()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("one.txt"), string.Join(" ", Enumerable.Repeat(Sentences[0], 20)));

        var summary = DataPreparer.Prepare(new PrepareOptions(Path.Combine(dir.Path, "out")) { DataPaths = [dir.File("one.txt")], VocabSize = 280 });

        Assert.True(summary.Train.Tokens > 0);
        Assert.True(summary.Validation.Tokens > 0);
        var tokenizer = Tokenizer.Load(summary.TokenizerPath);
        var joined = tokenizer.Decode(TokenShard.Read(summary.Train.Shards[0])) + tokenizer.Decode(TokenShard.Read(summary.Validation.Shards[0]));
        Assert.Equal(File.ReadAllText(dir.File("one.txt")), joined.Replace("<|eot|>", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Prepare_reuses_a_given_tokenizer()
    {
        using var dir = new TempDirectory();
        WriteDocs(dir, 20);
        var given = Tokenizer.Train(Sentences, 270);
        given.Save(dir.File("given.json"));

        var summary = DataPreparer.Prepare(new PrepareOptions(Path.Combine(dir.Path, "out")) { DataPaths = [dir.File("docs.jsonl")], TokenizerPath = dir.File("given.json") });

        Assert.False(summary.TokenizerTrained);
        Assert.Equal(given.Merges, Tokenizer.Load(summary.TokenizerPath).Merges);
    }

    [Fact]
    public void Shard_inputs_need_a_tokenizer()
    {
        using var dir = new TempDirectory();
        TokenShard.Write(dir.File("in.bin"), [1, 2, 3]);

        var e = Assert.Throws<InvalidDataException>(() => DataPreparer.Prepare(new PrepareOptions(Path.Combine(dir.Path, "out")) { DataPaths = [dir.File("in.bin")] }));
        Assert.Contains("--tokenizer", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Fact]
    public void Shard_inputs_with_tokens_beyond_the_tokenizer_are_rejected()
    {
        using var dir = new TempDirectory();
        TokenShard.Write(dir.File("in.bin"), Enumerable.Range(0, 100).Select(i => i * 5).ToArray());
        Tokenizer.Train(Sentences, 270).Save(dir.File("tok.json"));

        var e = Assert.Throws<TokenShardFormatException>(() => DataPreparer.Prepare(
            new PrepareOptions(Path.Combine(dir.Path, "out")) { DataPaths = [dir.File("in.bin")], TokenizerPath = dir.File("tok.json") }));
        Assert.Contains("outside the tokenizer's vocabulary of 270", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Fact]
    public void Shard_inputs_pass_through_with_a_matching_tokenizer()
    {
        using var dir = new TempDirectory();
        var tokens = Enumerable.Range(0, 100).Select(i => i % 250).ToArray();
        TokenShard.Write(dir.File("in.bin"), tokens);
        Tokenizer.Train(Sentences, 270).Save(dir.File("tok.json"));

        var summary = DataPreparer.Prepare(new PrepareOptions(Path.Combine(dir.Path, "out")) { DataPaths = [dir.File("in.bin")], TokenizerPath = dir.File("tok.json") });

        Assert.Equal(tokens, TokenShard.Read(summary.Train.Shards[0]).Concat(TokenShard.Read(summary.Validation.Shards[0])));
    }
}
