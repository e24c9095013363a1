using System.Text.Json;

namespace Agora.Data.Tests;

/// <summary>Checks the tokenizer against Vectors/bpe_small.json, produced by the independent Python implementation in tools/reference/bpe_ref.py.</summary>
public sealed class TokenizerVectorTests
{
    private static JsonElement Vector()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "bpe_small.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    [Fact]
    public void Training_learns_the_same_merges_as_the_python_reference()
    {
        var vector = Vector();
        var corpus = vector.GetProperty("corpus").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var expected = vector.GetProperty("merges").EnumerateArray().Select(m => (m[0].GetInt32(), m[1].GetInt32())).ToArray();

        var tokenizer = Tokenizer.Train(corpus, vector.GetProperty("vocab_size").GetInt32());

        Assert.Equal(expected, tokenizer.Merges);
    }

    [Fact]
    public void Encoding_gives_the_same_ids_as_the_python_reference()
    {
        var vector = Vector();
        var merges = vector.GetProperty("merges").EnumerateArray().Select(m => (m[0].GetInt32(), m[1].GetInt32())).ToArray();
        var expected = vector.GetProperty("sample_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var ids = new Tokenizer(merges).Encode(vector.GetProperty("sample").GetString()!);

        Assert.Equal(expected, ids);
    }
}
