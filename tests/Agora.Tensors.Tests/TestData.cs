namespace Agora.Tensors.Tests;

/// <summary>Seeded inputs and comparisons shared by the kernel tests.</summary>
internal static class TestData
{
    /// <summary>The sweep of sizes the kernels are compared over: tiny, odd, prime and just past powers of two.</summary>
    public static readonly int[] Sizes = [1, 3, 7, 17, 31, 64, 65, 127, 257];

    public static readonly int[] ThreadCounts = [1, 2, 3, 8];

    public static float[] Uniform(int count, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        }

        return data;
    }

    public static int[] Tokens(int count, int v, int seed)
    {
        var rng = new Random(seed);
        var data = new int[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = rng.Next(v);
        }

        return data;
    }

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| element by element, naming the first bad index.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs((double)actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.Abs(expected[i])))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (diff {diff:E3}, allowed {atol + rtol * Math.Abs(expected[i]):E3}).");
            }
        }
    }

    /// <summary>Asserts two buffers hold exactly the same bits.</summary>
    public static void Identical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} differs: {actual[i]:R} vs {expected[i]:R}.");
            }
        }
    }
}
