namespace Agora.Tensors.Tests;

public class AttentionTests
{
    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Forward_and_backward_match_the_reference_over_a_sweep_of_sizes(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        foreach (int t in new[] { 1, 3, 7, 17, 31, 64, 65 })
        {
            foreach (int d in new[] { 1, 3, 16, 17, 64 })
            {
                foreach (var (hq, hkv) in new[] { (4, 2), (3, 3), (2, 1) })
                {
                    Compare(t > 31 ? 1 : 2, t, hq, hkv, d, seed: t * 100 + d * 10 + hq);
                }
            }
        }
    }

    [Theory]
    [ClassData(typeof(IsaLevels))]
    public void Results_are_bit_identical_for_any_thread_count(int level)
    {
        using var scope = Isa.Force((IsaLevel)level);
        const int b = 2, t = 37, hq = 6, hkv = 2, d = 24;
        float[] q = TestData.Uniform(b * t * hq * d, 1), k = TestData.Uniform(b * t * hkv * d, 2), v = TestData.Uniform(b * t * hkv * d, 3), dout = TestData.Uniform(b * t * hq * d, 4);
        float[]? first = null;
        foreach (int threads in TestData.ThreadCounts)
        {
            float[] o = new float[q.Length], p = new float[b * hq * t * t], dq = new float[q.Length], dk = new float[k.Length], dv = new float[v.Length];
            Attention.Forward(q, k, v, o, p, b, t, hq, hkv, d, threads);
            Attention.Backward(dout, q, k, v, p, dq, dk, dv, b, t, hq, hkv, d, threads);
            float[] all = [.. o, .. p, .. dq, .. dk, .. dv];
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
    public void Backward_matches_finite_differences_with_grouped_heads()
    {
        const int b = 2, t = 5, hq = 4, hkv = 2, d = 6;
        float[] q = TestData.Uniform(b * t * hq * d, 11), k = TestData.Uniform(b * t * hkv * d, 12), v = TestData.Uniform(b * t * hkv * d, 13), r = TestData.Uniform(b * t * hq * d, 14);
        float[] o = new float[q.Length], p = new float[b * hq * t * t];
        Attention.Forward(q, k, v, o, p, b, t, hq, hkv, d);
        float[] dq = new float[q.Length], dk = TestData.Uniform(k.Length, 15), dv = TestData.Uniform(v.Length, 16);
        Attention.Backward(r, q, k, v, p, dq, dk, dv, b, t, hq, hkv, d);
        double[] qd = FiniteDifference.ToDouble(q), kd = FiniteDifference.ToDouble(k), vd = FiniteDifference.ToDouble(v);
        FiniteDifference.AssertClose(FiniteDifference.Gradient(qd, x => FiniteDifference.Project(DoubleForward.Attention(x, kd, vd, b, t, hq, hkv, d), r)), dq, "dq");
        FiniteDifference.AssertClose(FiniteDifference.Gradient(kd, x => FiniteDifference.Project(DoubleForward.Attention(qd, x, vd, b, t, hq, hkv, d), r)), dk, "dk");
        FiniteDifference.AssertClose(FiniteDifference.Gradient(vd, x => FiniteDifference.Project(DoubleForward.Attention(qd, kd, x, b, t, hq, hkv, d), r)), dv, "dv");
    }

    [Fact]
    public void Probabilities_are_causal_and_each_row_sums_to_one()
    {
        const int t = 9, d = 4;
        float[] q = TestData.Uniform(t * d, 1, 3f), k = TestData.Uniform(t * d, 2, 3f), v = TestData.Uniform(t * d, 3);
        float[] o = new float[t * d], p = TestData.Uniform(t * t, 4);
        Attention.Forward(q, k, v, o, p, 1, t, 1, 1, d);
        for (int i = 0; i < t; i++)
        {
            double sum = 0;
            for (int j = 0; j < t; j++)
            {
                if (j > i)
                {
                    Assert.Equal(0f, p[i * t + j]);
                }

                sum += p[i * t + j];
            }

            Assert.Equal(1.0, sum, 5);
        }

        TestData.Identical(v.AsSpan(0, d), o.AsSpan(0, d), "the first position attends only to itself");
    }

    [Fact]
    public void Bad_arguments_throw_clear_exceptions()
    {
        float[] big = new float[1000];
        var ex = Assert.Throws<ArgumentException>(() => Attention.Forward(big, big, big, big, big, 1, 2, 3, 2, 4));
        Assert.Contains("multiple of hkv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("probs is too short", Assert.Throws<ArgumentException>(() => Attention.Forward(big, big, big, big, new float[7], 1, 3, 2, 1, 4)).Message, StringComparison.Ordinal);
        Assert.Contains("dk is too short", Assert.Throws<ArgumentException>(() => Attention.Backward(big, big, big, big, big, big, new float[3], big, 1, 3, 2, 1, 4)).Message, StringComparison.Ordinal);
        Assert.Equal("d", Assert.Throws<ArgumentOutOfRangeException>(() => Attention.Forward(big, big, big, big, big, 1, 3, 2, 1, 0)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentOutOfRangeException>(() => Attention.Forward(big, big, big, big, big, -1, 3, 2, 1, 4)).ParamName);
    }

    private static void Compare(int b, int t, int hq, int hkv, int d, int seed)
    {
        float[] q = TestData.Uniform(b * t * hq * d, seed, 2f), k = TestData.Uniform(b * t * hkv * d, seed + 1, 2f), v = TestData.Uniform(b * t * hkv * d, seed + 2);
        float[] dout = TestData.Uniform(b * t * hq * d, seed + 3);
        float[] o = new float[q.Length], p = new float[b * hq * t * t], oRef = new float[q.Length], pRef = new float[p.Length];
        Attention.Forward(q, k, v, o, p, b, t, hq, hkv, d);
        Reference.AttentionForward(q, k, v, oRef, pRef, b, t, hq, hkv, d);
        string what = $"b={b} t={t} hq={hq} hkv={hkv} d={d}";
        TestData.Close(oRef, o, 1e-4, 1e-5, "output " + what);
        TestData.Close(pRef, p, 1e-4, 1e-6, "probs " + what);
        float[] dq = new float[q.Length], dk = new float[k.Length], dv = new float[v.Length];
        float[] dqRef = new float[q.Length], dkRef = new float[k.Length], dvRef = new float[v.Length];
        Attention.Backward(dout, q, k, v, p, dq, dk, dv, b, t, hq, hkv, d);
        Reference.AttentionBackward(dout, q, k, v, pRef, dqRef, dkRef, dvRef, b, t, hq, hkv, d);
        TestData.Close(dqRef, dq, 1e-3, 1e-5, "dq " + what);
        TestData.Close(dkRef, dk, 1e-3, 1e-5, "dk " + what);
        TestData.Close(dvRef, dv, 1e-3, 1e-5, "dv " + what);
    }
}
