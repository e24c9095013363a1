using System.Runtime.InteropServices;

namespace Agora.Tensors;

/// <summary>The cache-blocked GEMM loop nest (jc → pc → ic → jr → ir, as in BLIS) over packed panels. Threads take
/// disjoint blocks of C; the K blocking is fixed, so every element of C is summed in the same order for any split.</summary>
internal static unsafe class GemmDriver
{
    public static void Run(GemmOperand a, GemmOperand b, float* c, int m, int k, int n, bool accumulate, int threads)
    {
        switch (Isa.Level)
        {
            case IsaLevel.Avx512:
                Run<Avx512Kernel>(a, b, c, m, k, n, accumulate, threads);
                break;
            case IsaLevel.Avx2:
                Run<Avx2Kernel>(a, b, c, m, k, n, accumulate, threads);
                break;
            default:
                Run<PortableKernel>(a, b, c, m, k, n, accumulate, threads);
                break;
        }
    }

    /// <summary>Single-threaded product into a block of C with leading dimension <paramref name="ldc"/> (used inside
    /// kernels that already split work across threads, such as attention heads).</summary>
    public static void Serial(GemmOperand a, GemmOperand b, float* c, int ldc, int m, int k, int n, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<float>(c + (long)i * ldc, n).Clear();
                }
            }

            return;
        }

        switch (Isa.Level)
        {
            case IsaLevel.Avx512:
                Block<Avx512Kernel>(a, b, c, ldc, m, k, n, accumulate);
                break;
            case IsaLevel.Avx2:
                Block<Avx2Kernel>(a, b, c, ldc, m, k, n, accumulate);
                break;
            default:
                Block<PortableKernel>(a, b, c, ldc, m, k, n, accumulate);
                break;
        }
    }

    private static void Run<TKernel>(GemmOperand a, GemmOperand b, float* c, int m, int k, int n, bool accumulate, int threads)
        where TKernel : IMicroKernel
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                new Span<float>(c, checked(m * n)).Clear();
            }

            return;
        }

        int rowUnits = (m + TKernel.MR - 1) / TKernel.MR;
        int colUnits = (n + TKernel.NR - 1) / TKernel.NR;
        bool splitRows = rowUnits >= threads || rowUnits >= colUnits;
        int units = splitRows ? rowUnits : colUnits;
        int tasks = Math.Min(threads, units);
        if (tasks <= 1)
        {
            Block<TKernel>(a, b, c, n, m, k, n, accumulate);
            return;
        }

        GemmOperand sa = a, sb = b;
        nint ic = (nint)c;
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = tasks }, t =>
        {
            int u0 = (int)((long)units * t / tasks);
            int u1 = (int)((long)units * (t + 1) / tasks);
            if (splitRows)
            {
                int r0 = u0 * TKernel.MR;
                int r1 = Math.Min(m, u1 * TKernel.MR);
                Block<TKernel>(sa.Offset(r0, 0), sb, (float*)ic + (long)r0 * n, n, r1 - r0, k, n, accumulate);
            }
            else
            {
                int c0 = u0 * TKernel.NR;
                int c1 = Math.Min(n, u1 * TKernel.NR);
                Block<TKernel>(sa, sb.Offset(0, c0), (float*)ic + c0, n, m, k, c1 - c0, accumulate);
            }
        });
    }

    /// <summary>Single-threaded blocked product of one block of C (m, n) with leading dimension ldc.</summary>
    private static void Block<TKernel>(GemmOperand a, GemmOperand b, float* c, int ldc, int m, int k, int n, bool accumulate)
        where TKernel : IMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int kcMax = Math.Min(TKernel.KC, k);
        int mcMax = RoundUp(Math.Min(TKernel.MC, m), mr);
        int ncMax = RoundUp(Math.Min(TKernel.NC, n), nr);
        float* packA = (float*)NativeMemory.AlignedAlloc((nuint)((long)mcMax * kcMax * sizeof(float)), 64);
        float* packB = (float*)NativeMemory.AlignedAlloc((nuint)((long)ncMax * kcMax * sizeof(float)), 64);
        float* edge = stackalloc float[mr * nr];
        try
        {
            for (int jc = 0; jc < n; jc += TKernel.NC)
            {
                int nc = Math.Min(TKernel.NC, n - jc);
                for (int pc = 0; pc < k; pc += TKernel.KC)
                {
                    int kc = Math.Min(TKernel.KC, k - pc);
                    bool overwrite = pc == 0 && !accumulate;
                    GemmPacking.PackB(b.Offset(pc, jc), kc, nc, nr, packB);
                    for (int ic = 0; ic < m; ic += TKernel.MC)
                    {
                        int mc = Math.Min(TKernel.MC, m - ic);
                        GemmPacking.PackA(a.Offset(ic, pc), mc, kc, mr, packA);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int cols = Math.Min(nr, nc - jr);
                            float* bPanel = packB + (long)jr * kc;
                            for (int ir = 0; ir < mc; ir += mr)
                            {
                                int rows = Math.Min(mr, mc - ir);
                                float* aPanel = packA + (long)ir * kc;
                                float* cTile = c + (long)(ic + ir) * ldc + jc + jr;
                                if (rows == mr && cols == nr)
                                {
                                    TKernel.Run(kc, aPanel, bPanel, cTile, ldc, overwrite);
                                }
                                else
                                {
                                    TKernel.Run(kc, aPanel, bPanel, edge, nr, overwrite: true);
                                    StoreEdge(edge, nr, cTile, ldc, rows, cols, overwrite);
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(packA);
            NativeMemory.AlignedFree(packB);
        }
    }

    /// <summary>Writes the valid part of a partial tile with the same arithmetic as the full-tile store.</summary>
    private static void StoreEdge(float* tile, int nr, float* c, int ldc, int rows, int cols, bool overwrite)
    {
        for (int r = 0; r < rows; r++)
        {
            float* src = tile + r * nr;
            float* dst = c + (long)r * ldc;
            for (int j = 0; j < cols; j++)
            {
                dst[j] = overwrite ? src[j] : dst[j] + src[j];
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
