using System.Text;

namespace Agora.Data.Tests;

public sealed class TokenizerJsonTests
{
    private static readonly Tokenizer Small = new([((int)'a', (int)'b'), (256, (int)'c')]);

    private static string Json(string merges = "[[97,98],[256,99]]", int vocab = 259, string format = "agora-byte-bpe", int version = 1,
        string pre = "agora-split-v1", string specials = """{"<|eot|>":258}""") =>
        $$"""{"format":"{{format}}","version":{{version}},"pre_tokenizer":"{{pre}}","vocab_size":{{vocab}},"special_tokens":{{specials}},"merges":{{merges}}}""";

    private static string Reject(string json) =>
        Assert.Throws<TokenizerFormatException>(() => TokenizerJson.Parse(Encoding.UTF8.GetBytes(json), "tok.json")).Message;

    [Fact]
    public void The_saved_json_has_the_documented_shape()
    {
        Assert.Equal(Json(), Encoding.UTF8.GetString(TokenizerJson.ToJson(Small)));
    }

    [Fact]
    public void Save_then_load_gives_the_same_tokenizer()
    {
        using var dir = new TempDirectory();
        var trained = Tokenizer.Train(["hello hello world, the world says hello"], 280);

        trained.Save(dir.File("tokenizer.json"));
        var loaded = Tokenizer.Load(dir.File("tokenizer.json"));

        Assert.Equal(trained.Merges, loaded.Merges);
        Assert.Equal(trained.Encode("hello world"), loaded.Encode("hello world"));
    }

    [Fact]
    public void Malformed_json_is_rejected_naming_the_file()
    {
        var message = Reject("{not json");
        Assert.StartsWith("tok.json: not valid JSON", message);
    }

    [Theory]
    [InlineData("[1,2]", "top level must be a JSON object")]
    [InlineData("{}", "missing string field \"format\"")]
    public void Structurally_wrong_documents_are_rejected(string json, string expected)
    {
        Assert.Contains(expected, Reject(json));
    }

    [Fact]
    public void A_foreign_format_is_rejected()
    {
        Assert.Contains("expected \"agora-byte-bpe\"", Reject(Json(format: "gpt2")));
    }

    [Fact]
    public void A_future_version_is_rejected()
    {
        Assert.Contains("unsupported version 2", Reject(Json(version: 2)));
    }

    [Fact]
    public void An_unknown_pre_tokenizer_is_rejected()
    {
        Assert.Contains("unknown pre_tokenizer", Reject(Json(pre: "regex")));
    }

    [Fact]
    public void A_merge_using_an_id_not_yet_created_is_rejected()
    {
        Assert.Contains("merge 0 [97, 256]", Reject(Json(merges: "[[97,256],[256,99]]")));
    }

    [Fact]
    public void A_repeated_merge_is_rejected()
    {
        Assert.Contains("appears twice", Reject(Json(merges: "[[97,98],[97,98]]")));
    }

    [Fact]
    public void A_merge_that_is_not_a_pair_of_integers_is_rejected()
    {
        Assert.Contains("merge 1 must be an array of two integer ids", Reject(Json(merges: "[[97,98],[\"a\",99]]")));
        Assert.Contains("merge 0 must be an array of two integer ids", Reject(Json(merges: "[[97]]")));
    }

    [Fact]
    public void A_vocab_size_that_disagrees_with_the_merges_is_rejected()
    {
        Assert.Contains("vocab_size is 300", Reject(Json(vocab: 300)));
    }

    [Fact]
    public void A_missing_or_misplaced_eot_is_rejected()
    {
        Assert.Contains("exactly \"<|eot|>\"", Reject(Json(specials: "{}")));
        Assert.Contains("must have id 258", Reject(Json(specials: """{"<|eot|>":5}""")));
        Assert.Contains("must have id 258", Reject(Json(specials: """{"<|eot|>":"258"}""")));
    }

    [Fact]
    public void A_missing_file_says_how_to_make_one()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Tokenizer.Load("/nonexistent/tokenizer.json"));
        Assert.Contains("agora data tokenizer train", e.Message);
    }
}
