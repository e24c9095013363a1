using System.Runtime.CompilerServices;

namespace Agora.Tensors;

/// <summary>Copies blocks of A and B into the panel order the micro-kernel streams through, zero-padding partial panels
/// (zeros add exact zeros to padded accumulators that are never stored).</summary>
internal static unsafe class GemmPacking
{
    /// <summary>A block (mc, kc) → ceil(mc/MR) panels, each (kc, MR): dst[(panel·kc + p)·MR + r] = A(panel·MR + r, p).</summary>
    public static void PackA(GemmOperand a, int mc, int kc, int mr, float* dst)
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* panel = dst + (long)i0 * kc;
            if (rows < mr)
            {
                new Span<float>(panel, kc * mr).Clear();
            }

            if (a.ColStride == 1 && rows == 8 && mr == 8 && Transpose8x8.IsSupported)
            {
                // Row-major source, full 8-row panel: 8×8 transposes turn 8 rows into 8 packed columns.
                float* src = a.Ptr + i0 * a.RowStride;
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                {
                    Transpose8x8.Run(src + p, a.RowStride, panel + (long)p * 8, 8);
                }

                for (; p < kc; p++)
                {
                    for (int r = 0; r < 8; r++)
                    {
                        panel[(long)p * 8 + r] = src[r * a.RowStride + p];
                    }
                }
            }
            else if (a.ColStride == 1)
            {
                // Row-major source: each row is contiguous along p; write it with stride MR.
                for (int r = 0; r < rows; r++)
                {
                    float* src = a.Ptr + (i0 + r) * a.RowStride;
                    float* d = panel + r;
                    for (int p = 0; p < kc; p++)
                    {
                        d[(long)p * mr] = src[p];
                    }
                }
            }
            else if (rows == mr && a.RowStride == 1)
            {
                // Column-major source (A given transposed): MR consecutive rows are contiguous for each p.
                for (int p = 0; p < kc; p++)
                {
                    Unsafe.CopyBlockUnaligned(panel + (long)p * mr, a.Ptr + i0 + p * a.ColStride, (uint)(mr * sizeof(float)));
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a.Ptr + i0 * a.RowStride + p * a.ColStride;
                    float* d = panel + (long)p * mr;
                    for (int r = 0; r < rows; r++)
                    {
                        d[r] = src[r * a.RowStride];
                    }
                }
            }
        }
    }

    /// <summary>B block (kc, nc) → ceil(nc/NR) panels, each (kc, NR): dst[(panel·kc + p)·NR + j] = B(p, panel·NR + j).</summary>
    public static void PackB(GemmOperand b, int kc, int nc, int nr, float* dst)
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            float* panel = dst + (long)j0 * kc;
            if (b.ColStride == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b.Ptr + p * b.RowStride + j0;
                    float* d = panel + (long)p * nr;
                    if (cols == nr)
                    {
                        Unsafe.CopyBlockUnaligned(d, src, (uint)(nr * sizeof(float)));
                    }
                    else
                    {
                        for (int j = 0; j < nr; j++)
                        {
                            d[j] = j < cols ? src[j] : 0f;
                        }
                    }
                }
            }
            else
            {
                if (cols == nr && nr % 8 == 0 && b.RowStride == 1 && Transpose8x8.IsSupported)
                {
                    // Column-major source (B given transposed), full panel: 8 columns × 8 depths per transpose.
                    int p = 0;
                    for (; p + 8 <= kc; p += 8)
                    {
                        for (int j = 0; j < nr; j += 8)
                        {
                            Transpose8x8.Run(b.Ptr + (j0 + j) * b.ColStride + p, b.ColStride, panel + (long)p * nr + j, nr);
                        }
                    }

                    for (; p < kc; p++)
                    {
                        for (int j = 0; j < nr; j++)
                        {
                            panel[(long)p * nr + j] = b.Ptr[(j0 + j) * b.ColStride + p];
                        }
                    }

                    continue;
                }

                if (cols < nr)
                {
                    new Span<float>(panel, kc * nr).Clear();
                }

                // Column-major source (B given transposed): each column is contiguous along p.
                for (int j = 0; j < cols; j++)
                {
                    float* src = b.Ptr + (j0 + j) * b.ColStride;
                    float* d = panel + j;
                    for (int p = 0; p < kc; p++)
                    {
                        d[(long)p * nr] = src[p * b.RowStride];
                    }
                }
            }
        }
    }
}
