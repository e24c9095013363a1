namespace Agora.Tensors;

/// <summary>Single-precision matrix products in the three layouts a transformer needs, on packed panels with a
/// register-blocked micro-kernel (see <see cref="GemmDriver"/>). Threads split C only and every element is summed in
/// the same K order whatever the split, so results are bit-identical for any thread count on one CPU family.</summary>
public static class Gemm
{
    /// <summary>C (M,N) = A (M,K) · B (K,N); accumulate=true → C += A · B.</summary>
    public static unsafe void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false, int threads = 1)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        Check.Threads(threads);
        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmDriver.Run(new GemmOperand(pa, k, 1), new GemmOperand(pb, n, 1), pc, m, k, n, accumulate, threads);
        }
    }

    /// <summary>C (M,N) = Aᵀ · B with A (K,M), B (K,N); accumulate=true → C += Aᵀ · B.</summary>
    public static unsafe void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false, int threads = 1)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        Check.Threads(threads);
        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmDriver.Run(new GemmOperand(pa, 1, m), new GemmOperand(pb, n, 1), pc, m, k, n, accumulate, threads);
        }
    }

    /// <summary>C (M,N) = A · Bᵀ with A (M,K), B (N,K); accumulate=true → C += A · Bᵀ. (Linear forward: y = x · Wᵀ.)</summary>
    public static unsafe void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false, int threads = 1)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        Check.Threads(threads);
        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmDriver.Run(new GemmOperand(pa, k, 1), new GemmOperand(pb, 1, k), pc, m, k, n, accumulate, threads);
        }
    }
}
