namespace Agora.Tensors.Tests;

public class GemmTests
{
    public enum Layout
    {
        Plain,
        TransA,
        TransB,
    }

    public static TheoryData<int, Layout> LevelsAndLayouts()
    {
        var data = new TheoryData<int, Layout>();
        foreach (int level in new IsaLevels())
        {
            foreach (Layout layout in Enum.GetValues<Layout>())
            {
                data.Add(level, layout);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LevelsAndLayouts))]
    public void Fast_gemm_matches_the_reference_over_a_sweep_of_sizes(int level, Layout layout)
    {
        using var scope = Isa.Force((IsaLevel)level);
        int[] s = TestData.Sizes;
        var shapes = new List<(int M, int K, int N)>();
        foreach (int x in s)
        {
            shapes.Add((x, x, x));
            shapes.Add((x, 17, 65));
            shapes.Add((65, x, 7));
            shapes.Add((31, 64, x));
            shapes.Add((1, x, 127));
            shapes.Add((x == 257 ? 127 : 257, 3, x));
        }

        foreach (var (m, k, n) in shapes)
        {
            CompareWithReference(layout, m, k, n, accumulate: false, seed: m * 1000 + k * 10 + n);
        }
    }

    [Theory]
    [MemberData(nameof(LevelsAndLayouts))]
    public void Fast_gemm_matches_the_reference_across_cache_block_boundaries(int level, Layout layout)
    {
        using var scope = Isa.Force((IsaLevel)level);
        // Block sizes are KC = 256, MC <= 192, NC <= 3072 (see MicroKernels.cs); these shapes cross each.
        CompareWithReference(layout, 203, 300, 70, accumulate: false, seed: 5);
        CompareWithReference(layout, 401, 520, 33, accumulate: true, seed: 6);
        CompareWithReference(layout, 9, 520, 1600, accumulate: false, seed: 7);
        CompareWithReference(layout, 17, 40, 3100, accumulate: true, seed: 8);
    }

    [Theory]
    [MemberData(nameof(LevelsAndLayouts))]
    public void Accumulate_adds_the_product_to_what_c_already_holds(int level, Layout layout)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int x in TestData.Sizes)
        {
            CompareWithReference(layout, x, 31, 65, accumulate: true, seed: x);
            CompareWithReference(layout, 17, x, 7, accumulate: true, seed: x + 1);
        }
    }

    [Theory]
    [MemberData(nameof(LevelsAndLayouts))]
    public void Results_are_bit_identical_for_any_thread_count(int level, Layout layout)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (var (m, k, n) in new[] { (257, 65, 127), (7, 300, 1031), (130, 517, 70), (3, 5, 2) })
        {
            float[] a = TestData.Uniform(m * k, 1);
            float[] b = TestData.Uniform(k * n, 2);
            float[] c0 = TestData.Uniform(m * n, 3);
            float[]? first = null;
            foreach (int threads in TestData.ThreadCounts)
            {
                float[] c = (float[])c0.Clone();
                Run(layout, a, b, c, m, k, n, accumulate: true, threads);
                if (first is null)
                {
                    first = c;
                }
                else
                {
                    TestData.Identical(first, c, $"{layout} {m}x{k}x{n} threads={threads}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(LevelsAndLayouts))]
    public void An_empty_inner_dimension_gives_zeros_or_leaves_c_unchanged_when_accumulating(int level, Layout layout)
    {
        using var scope = Isa.Force((IsaLevel)level);
        float[] c = TestData.Uniform(12, 9);
        float[] before = (float[])c.Clone();
        Run(layout, [], [], c, 3, 0, 4, accumulate: true, threads: 2);
        TestData.Identical(before, c, "accumulate with k=0");
        Run(layout, [], [], c, 3, 0, 4, accumulate: false, threads: 2);
        Assert.All(c, x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Portable_fallback_and_vector_paths_agree_within_rounding()
    {
        float[] a = TestData.Uniform(97 * 301, 11);
        float[] b = TestData.Uniform(301 * 83, 12);
        float[] portable = new float[97 * 83];
        float[] best = new float[97 * 83];
        using (Isa.Force(IsaLevel.Portable))
        {
            Gemm.MatMul(a, b, portable, 97, 301, 83);
        }

        Gemm.MatMul(a, b, best, 97, 301, 83);
        TestData.Close(portable, best, 1e-4, 1e-4, "portable vs best");
    }

    [Fact]
    public void Forcing_the_fallback_changes_the_active_level()
    {
        using (Isa.Force(IsaLevel.Portable))
        {
            Assert.Equal(IsaLevel.Portable, Isa.Level);
        }

        Assert.Equal(Isa.Best, Isa.Level);
    }

    [Fact]
    public void The_isa_setting_can_only_lower_the_hardware_level()
    {
        Assert.Equal(IsaLevel.Avx2, Isa.Cap(IsaLevel.Avx512, "avx2"));
        Assert.Equal(IsaLevel.Portable, Isa.Cap(IsaLevel.Avx2, " Portable "));
        Assert.Equal(IsaLevel.Avx2, Isa.Cap(IsaLevel.Avx2, "avx512"));
        Assert.Equal(IsaLevel.Avx512, Isa.Cap(IsaLevel.Avx512, null));
        Assert.Equal(IsaLevel.Avx512, Isa.Cap(IsaLevel.Avx512, "best"));
        var ex = Assert.Throws<InvalidOperationException>(() => Isa.Cap(IsaLevel.Avx2, "sse9"));
        Assert.Contains("AGORA_TENSORS_ISA='sse9'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_spans_and_negative_sizes_throw_and_leave_c_unchanged()
    {
        float[] a = new float[6], b = new float[9];
        float[] c = [1, 2, 3, 4];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.MatMul(a, b, c, 2, 3, 3));
        Assert.Contains("c is too short", ex.Message, StringComparison.Ordinal);
        Assert.Equal([1f, 2, 3, 4], c);
        ex = Assert.Throws<ArgumentException>(() => Gemm.MatMulTransA(a.AsSpan(0, 5), b, c, 2, 3, 2));
        Assert.Contains("a is too short", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Gemm.MatMulTransB(a, b.AsSpan(0, 5), c, 2, 3, 2));
        Assert.Contains("b is too short", ex.Message, StringComparison.Ordinal);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MatMul(a, b, c, -1, 3, 2));
        Assert.Equal("m", range.ParamName);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MatMul(a, b, c, 2, 3, 2, threads: 0));
        Assert.Equal("threads", range.ParamName);
        Assert.Equal([1f, 2, 3, 4], c);
    }

    [Fact]
    public void Sizes_whose_product_overflows_int_are_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MatMul(new float[1], new float[1], new float[1], 100_000, 100_000, 1));
        Assert.Contains("more than a span can hold", ex.Message, StringComparison.Ordinal);
    }

    private static void CompareWithReference(Layout layout, int m, int k, int n, bool accumulate, int seed)
    {
        float[] a = TestData.Uniform(m * k, seed);
        float[] b = TestData.Uniform(k * n, seed + 1);
        float[] c0 = accumulate ? TestData.Uniform(m * n, seed + 2) : TestData.Uniform(m * n, seed + 2, 1000f);
        float[] expected = (float[])c0.Clone();
        float[] actual = (float[])c0.Clone();
        switch (layout)
        {
            case Layout.Plain:
                Reference.MatMul(a, b, expected, m, k, n, accumulate);
                break;
            case Layout.TransA:
                Reference.MatMulTransA(a, b, expected, m, k, n, accumulate);
                break;
            default:
                Reference.MatMulTransB(a, b, expected, m, k, n, accumulate);
                break;
        }

        Run(layout, a, b, actual, m, k, n, accumulate, threads: 1);

        // Entries are in [-1, 1], so a dot product of length k carries at most ~k·2^-24 rounding error per term.
        TestData.Close(expected, actual, 1e-5, 2e-7 * (k + 8), $"{layout} {m}x{k}x{n} accumulate={accumulate}");
    }

    private static void Run(Layout layout, float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate, int threads)
    {
        switch (layout)
        {
            case Layout.Plain:
                Gemm.MatMul(a, b, c, m, k, n, accumulate, threads);
                break;
            case Layout.TransA:
                Gemm.MatMulTransA(a, b, c, m, k, n, accumulate, threads);
                break;
            default:
                Gemm.MatMulTransB(a, b, c, m, k, n, accumulate, threads);
                break;
        }
    }
}
