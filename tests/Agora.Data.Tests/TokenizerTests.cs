using System.Text;

namespace Agora.Data.Tests;

public sealed class TokenizerTests
{
    private static readonly string[] Corpus =
    [
        "The quick brown fox jumps over the lazy dog. The dog sleeps.",
        "Tokenizers merge frequent pairs of bytes into new tokens; the merges stay inside words.",
        "Numbers like 12345 and 2026, punctuation!? and unicode: naïve café, 日本語, emoji 🎉.",
    ];

    private static Tokenizer Trained(int vocab = 400) => Tokenizer.Train(Enumerable.Repeat(Corpus, 5).SelectMany(c => c), vocab);

    [Fact]
    public void Encoding_follows_the_merges_in_rank_order_within_each_piece()
    {
        // 256 = "ab", 257 = "ab" + "c".
        var tokenizer = new Tokenizer([((int)'a', (int)'b'), (256, (int)'c')]);

        Assert.Equal(new[] { 257, ' ', 256, 'd' }, tokenizer.Encode("abc abd"));
        Assert.Equal(259, tokenizer.VocabSize);
        Assert.Equal(258, tokenizer.EotId);
    }

    [Fact]
    public void Training_merges_the_most_frequent_pair_and_breaks_ties_by_lowest_ids()
    {
        // Pieces "ab", " ab", " ab", " cd": (a,b) occurs 3 times, then (" ", ab) twice, then (" ", c) and (c, d)
        // once each, where the lower pair (" ", c) wins the tie.
        var tokenizer = Tokenizer.Train(["ab ab ab cd"], vocabSize: 260);

        Assert.Equal(new (int, int)[] { ('a', 'b'), (' ', 256), (' ', 'c') }, tokenizer.Merges);
    }

    [Fact]
    public void Training_is_deterministic()
    {
        Assert.Equal(Trained().Merges, Trained().Merges);
    }

    [Fact]
    public void Training_reaches_the_requested_vocabulary_when_the_text_allows()
    {
        var tokenizer = Trained(350);

        Assert.Equal(350, tokenizer.VocabSize);
        Assert.Equal(349, tokenizer.EotId);
    }

    [Fact]
    public void Training_stops_early_when_no_pairs_are_left()
    {
        var tokenizer = Tokenizer.Train(["aaaa"], vocabSize: 1000);

        // "aaaa" → (a,a) → (aa,aa) and nothing else to merge.
        Assert.Equal(2, tokenizer.Merges.Count);
        Assert.Equal(new[] { 257 }, tokenizer.Encode("aaaa"));
    }

    [Fact]
    public void No_learned_token_spans_a_word_boundary()
    {
        var tokenizer = Trained();

        for (var id = 256; id < tokenizer.EotId; id++)
        {
            var text = Encoding.UTF8.GetString(tokenizer.TokenBytes(id));
            Assert.DoesNotMatch(@"\S\s", text);
            Assert.DoesNotMatch(@"[A-Za-z][.,;!?]", text);
        }
    }

    [Fact]
    public void Trained_tokens_compress_the_training_text()
    {
        var tokenizer = Trained();
        var text = Corpus[0];

        Assert.True(tokenizer.Encode(text).Length * 2 < Encoding.UTF8.GetByteCount(text));
    }

    [Fact]
    public void Any_byte_sequence_round_trips()
    {
        var tokenizer = Trained();
        var rng = new Random(1234);
        for (var trial = 0; trial < 200; trial++)
        {
            var bytes = new byte[rng.Next(0, 300)];
            rng.NextBytes(bytes);
            if (trial % 2 == 0)
            {
                // Bias half the trials toward the trained alphabet so merges actually fire.
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = (byte)" aeht.o\n"[bytes[i] % 8];
                }
            }

            Assert.Equal(bytes, tokenizer.DecodeBytes(tokenizer.EncodeBytes(bytes)));
        }
    }

    [Fact]
    public void Any_unicode_text_round_trips()
    {
        var tokenizer = Trained();
        var rng = new Random(99);
        for (var trial = 0; trial < 200; trial++)
        {
            var sb = new StringBuilder();
            var length = rng.Next(0, 60);
            for (var i = 0; i < length; i++)
            {
                int codePoint;
                do
                {
                    codePoint = rng.Next(3) == 0 ? rng.Next(0x20, 0x7F) : rng.Next(0, 0x110000);
                }
                while (codePoint is >= 0xD800 and <= 0xDFFF);
                sb.Append(char.ConvertFromUtf32(codePoint));
            }

            var text = sb.ToString();
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    [Fact]
    public void Text_never_encodes_to_eot_but_eot_decodes_to_its_literal()
    {
        var tokenizer = Trained();

        Assert.DoesNotContain(tokenizer.EotId, tokenizer.Encode("a <|eot|> b"));
        Assert.Equal("x<|eot|>", tokenizer.Decode([(int)'x', tokenizer.EotId]));
    }

    [Fact]
    public void Decoding_an_unknown_id_fails()
    {
        var tokenizer = Trained();

        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([tokenizer.VocabSize]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([-1]));
    }

    [Fact]
    public void A_vocabulary_too_small_for_the_bytes_and_eot_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Train(["abc"], 256));
    }

    [Fact]
    public void Merges_that_use_ids_not_yet_created_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Tokenizer([(1, 256)]));
        Assert.Throws<ArgumentException>(() => new Tokenizer([(1, 2), (1, 2)]));
    }
}
