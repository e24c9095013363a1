namespace Agora.Tensors.Tests;

public class EmbeddingTests
{
    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Forward_and_backward_match_the_reference_over_a_sweep_of_sizes(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int c in TestData.Sizes)
        {
            foreach (int n in new[] { 0, 1, 7, 65 })
            {
                const int v = 13;
                int[] tokens = TestData.Tokens(n, v, n + c);
                float[] table = TestData.Uniform(v * c, c), dout = TestData.Uniform(n * c, c + 1);
                float[] y = new float[n * c], yRef = new float[n * c];
                Embedding.Forward(tokens, table, y, v, c);
                Reference.EmbeddingForward(tokens, table, yRef, v, c);
                TestData.Identical(yRef, y, $"forward n={n} c={c}");
                float[] dt = TestData.Uniform(v * c, 3), dtRef = (float[])dt.Clone();
                Embedding.Backward(dout, tokens, dt, v, c);
                Reference.EmbeddingBackward(dout, tokens, dtRef, v, c);
                TestData.Identical(dtRef, dt, $"backward n={n} c={c}");
            }
        }
    }

    [Fact]
    public void Backward_accumulates_repeated_tokens_bit_identically_for_any_thread_count()
    {
        const int v = 5, c = 67, n = 200;
        int[] tokens = TestData.Tokens(n, v, 1);
        float[] dout = TestData.Uniform(n * c, 2);
        float[]? first = null;
        foreach (int threads in TestData.ThreadCounts)
        {
            float[] dt = TestData.Uniform(v * c, 3), y = new float[n * c];
            Embedding.Backward(dout, tokens, dt, v, c, threads);
            Embedding.Forward(tokens, dt, y, v, c, threads);
            float[] all = [.. dt, .. y];
            if (first is null)
            {
                first = all;
            }
            else
            {
                TestData.Identical(first, all, $"threads={threads}");
            }
        }
    }

    [Fact]
    public void A_bad_token_id_throws_naming_the_id_and_writes_nothing()
    {
        float[] table = TestData.Uniform(4 * 2, 1), output = new float[3 * 2];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Embedding.Forward([1, 4, 0], table, output, 4, 2));
        Assert.Contains("tokens[1] = 4", ex.Message, StringComparison.Ordinal);
        Assert.All(output, x => Assert.Equal(0f, x));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Embedding.Backward(output, [0, -1, 2], table, 4, 2));
        Assert.Contains("-1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("output is too short", Assert.Throws<ArgumentException>(() => Embedding.Forward([1, 2, 3, 0], table, output, 4, 2)).Message, StringComparison.Ordinal);
        Assert.Contains("table is too short", Assert.Throws<ArgumentException>(() => Embedding.Forward([1], table, output, 5, 2)).Message, StringComparison.Ordinal);
    }
}
