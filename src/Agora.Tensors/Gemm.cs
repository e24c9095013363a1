using System.Numerics.Tensors;

namespace Agora.Tensors;

/// <summary>Single-precision matrix products in the three layouts a transformer needs. Threads split rows of C only,
/// and every element of C is summed in the same K order whatever the split, so results are bit-identical for any thread count.</summary>
public static class Gemm
{
    /// <summary>C (M,N) = A (M,K) · B (K,N); accumulate=true → C += A · B.</summary>
    public static unsafe void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false, int threads = 1)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        Check.Threads(threads);
        fixed (float* pa = a, pb = b, pc = c)
        {
            nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
            Workers.For(m, threads, (start, end) =>
            {
                var sa = new ReadOnlySpan<float>((float*)ia, m * k);
                var sb = new ReadOnlySpan<float>((float*)ib, k * n);
                var sc = new Span<float>((float*)ic, m * n);
                for (int i = start; i < end; i++)
                {
                    Span<float> row = sc.Slice(i * n, n);
                    if (!accumulate)
                    {
                        row.Clear();
                    }

                    for (int p = 0; p < k; p++)
                    {
                        TensorPrimitives.MultiplyAdd(sb.Slice(p * n, n), sa[i * k + p], row, row);
                    }
                }
            });
        }
    }

    /// <summary>C (M,N) = Aᵀ · B with A (K,M), B (K,N); accumulate=true → C += Aᵀ · B.</summary>
    public static unsafe void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false, int threads = 1)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        Check.Threads(threads);
        fixed (float* pa = a, pb = b, pc = c)
        {
            nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
            Workers.For(m, threads, (start, end) =>
            {
                var sa = new ReadOnlySpan<float>((float*)ia, m * k);
                var sb = new ReadOnlySpan<float>((float*)ib, k * n);
                var sc = new Span<float>((float*)ic, m * n);
                for (int i = start; i < end; i++)
                {
                    Span<float> row = sc.Slice(i * n, n);
                    if (!accumulate)
                    {
                        row.Clear();
                    }

                    for (int p = 0; p < k; p++)
                    {
                        TensorPrimitives.MultiplyAdd(sb.Slice(p * n, n), sa[p * m + i], row, row);
                    }
                }
            });
        }
    }

    /// <summary>C (M,N) = A · Bᵀ with A (M,K), B (N,K); accumulate=true → C += A · Bᵀ.</summary>
    public static unsafe void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false, int threads = 1)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        Check.Threads(threads);
        fixed (float* pa = a, pb = b, pc = c)
        {
            nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
            Workers.For(m, threads, (start, end) =>
            {
                var sa = new ReadOnlySpan<float>((float*)ia, m * k);
                var sb = new ReadOnlySpan<float>((float*)ib, k * n);
                var sc = new Span<float>((float*)ic, m * n);
                for (int i = start; i < end; i++)
                {
                    ReadOnlySpan<float> arow = sa.Slice(i * k, k);
                    for (int j = 0; j < n; j++)
                    {
                        float dot = TensorPrimitives.Dot(arow, sb.Slice(j * k, k));
                        sc[i * n + j] = accumulate ? sc[i * n + j] + dot : dot;
                    }
                }
            });
        }
    }
}
