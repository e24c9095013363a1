using System.Text;

namespace Agora.Data.Tests;

public sealed class PreTokenizerTests
{
    private static string[] Pieces(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return PreTokenizer.Split(bytes).Select(p => Encoding.UTF8.GetString(bytes, p.Start, p.Length)).ToArray();
    }

    [Fact]
    public void Words_keep_one_leading_space_and_punctuation_stands_apart()
    {
        Assert.Equal(new[] { "Hello", " world", "!", " ", " foo", "\n" }, Pieces("Hello world!  foo\n"));
    }

    [Fact]
    public void Digits_letters_and_punctuation_are_separate_runs()
    {
        Assert.Equal(new[] { "abc", "123", "...", " 45", "\n\n", "x" }, Pieces("abc123... 45\n\nx"));
    }

    [Fact]
    public void Multibyte_characters_stay_inside_words()
    {
        Assert.Equal(new[] { "naïve", " café", " 日本" }, Pieces("naïve café 日本"));
    }

    [Fact]
    public void Long_runs_are_cut_at_the_piece_limit()
    {
        var pieces = PreTokenizer.Split(Encoding.ASCII.GetBytes(new string('a', 300)));

        Assert.Equal(new[] { 128, 128, 44 }, pieces.Select(p => p.Length));
    }

    [Fact]
    public void Pieces_tile_any_byte_sequence()
    {
        var rng = new Random(11);
        var bytes = new byte[5000];
        rng.NextBytes(bytes);

        var pieces = PreTokenizer.Split(bytes);

        var at = 0;
        foreach (var (start, length) in pieces)
        {
            Assert.Equal(at, start);
            Assert.True(length > 0);
            at += length;
        }

        Assert.Equal(bytes.Length, at);
    }
}
