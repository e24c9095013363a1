namespace Agora.Tensors;

/// <summary>The naive kernels: straightforward loops with double accumulation. They define what the fast kernels
/// compute and are what the tests compare against; they are single-threaded and slow on purpose.</summary>
public static partial class Reference
{
    /// <summary>C (M,N) = A (M,K) · B (K,N); accumulate adds to C.</summary>
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[i * k + p] * b[p * n + j];
                }

                c[i * n + j] = (float)sum;
            }
        }
    }

    /// <summary>C (M,N) = Aᵀ · B with A (K,M), B (K,N).</summary>
    public static void MatMulTransA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[p * m + i] * b[p * n + j];
                }

                c[i * n + j] = (float)sum;
            }
        }
    }

    /// <summary>C (M,N) = A · Bᵀ with A (M,K), B (N,K).</summary>
    public static void MatMulTransB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        GemmArgs.Validate(a, b, c, m, k, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[i * k + p] * b[j * k + p];
                }

                c[i * n + j] = (float)sum;
            }
        }
    }
}
