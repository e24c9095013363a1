namespace Agora.Data.Tests;

public sealed class DataSourcesTests
{
    [Fact]
    public void Text_jsonl_and_shards_are_told_apart()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.txt"), "plain text");
        File.WriteAllText(dir.File("b.jsonl"), "{\"text\": \"first\"}\n\n{\"id\": 2, \"text\": \"second\"}\n");
        TokenShard.Write(dir.File("c.bin"), [5, 6, 7]);

        var inputs = DataSources.Load([dir.Path]);

        Assert.Equal(new[] { "plain text", "first", "second" }, inputs.Documents.Select(d => d.Text));
        Assert.Equal(new[] { 5, 6, 7 }, Assert.Single(inputs.Shards).Tokens);
    }

    [Fact]
    public void A_malformed_jsonl_line_is_reported_with_its_line_number()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("x.jsonl"), "{\"text\": \"ok\"}\n{broken\n");

        var e = Assert.Throws<InvalidDataException>(() => DataSources.Load([dir.File("x.jsonl")]));
        Assert.Contains("x.jsonl:2", e.Message);
    }

    [Fact]
    public void A_jsonl_line_without_a_text_string_is_rejected()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("x.jsonl"), "{\"text\": 5}\n");

        var e = Assert.Throws<InvalidDataException>(() => DataSources.Load([dir.File("x.jsonl")]));
        Assert.Contains("string field \"text\"", e.Message);
    }

    [Fact]
    public void A_binary_file_that_is_not_a_shard_is_rejected()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("blob.dat"), [1, 0, 2, 3]);

        var e = Assert.Throws<InvalidDataException>(() => DataSources.Load([dir.File("blob.dat")]));
        Assert.Contains("not text", e.Message);
    }

    [Fact]
    public void A_corrupt_shard_input_is_rejected()
    {
        using var dir = new TempDirectory();
        var bytes = TokenShard.ToBytes([1, 2, 3]);
        File.WriteAllBytes(dir.File("bad.bin"), bytes.AsSpan(0, bytes.Length - 2).ToArray());

        Assert.Throws<TokenShardFormatException>(() => DataSources.Load([dir.File("bad.bin")]));
    }

    [Fact]
    public void A_missing_path_is_named()
    {
        var e = Assert.Throws<FileNotFoundException>(() => DataSources.Load(["/no/such/data.txt"]));
        Assert.Contains("/no/such/data.txt", e.Message);
    }
}
