using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agora.Tensors;

/// <summary>Global-norm gradient clipping (PyTorch clip_grad_norm_).</summary>
public static class GradClip
{
    /// <summary>Partial sums cover fixed blocks of this many elements whatever the thread count, then add in block order.</summary>
    internal const int Block = 4096;

    /// <summary>Returns the global L2 norm (double accumulation in a fixed order) and scales grad in place by
    /// min(1, maxNorm / (norm + 1e-6)).</summary>
    public static unsafe double ClipGlobalNorm(Span<float> grad, double maxNorm, int threads = 1)
    {
        OptimizerArgs.Clip(maxNorm);
        Check.Threads(threads);
        int length = grad.Length;
        int blocks = (length + Block - 1) / Block;
        var partial = new double[blocks];
        fixed (float* pg = grad)
        {
            nint ig = (nint)pg;
            Workers.For(blocks, threads, (start, end) =>
            {
                for (int blk = start; blk < end; blk++)
                {
                    int lo = blk * Block;
                    partial[blk] = SumOfSquares((float*)ig + lo, Math.Min(length, lo + Block) - lo);
                }
            });

            double total = 0;
            for (int blk = 0; blk < blocks; blk++)
            {
                total += partial[blk];
            }

            double norm = Math.Sqrt(total);
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1.0)
            {
                float scale = (float)coef;
                Workers.For(length, threads, (start, end) => VectorMath.Scale((float*)ig + start, end - start, scale));
            }

            return norm;
        }
    }

    /// <summary>Σ x² in double: four double lanes per half-vector, then a fixed-order reduction, then the tail.</summary>
    private static unsafe double SumOfSquares(float* x, int n)
    {
        int i = 0;
        double sum = 0;
        if (VectorMath.UseVector256)
        {
            Vector256<double> lo = Vector256<double>.Zero, hi = Vector256<double>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> v = Avx.LoadVector256(x + i);
                Vector256<double> a = Avx.ConvertToVector256Double(v.GetLower());
                Vector256<double> b = Avx.ConvertToVector256Double(v.GetUpper());
                lo = Fma.MultiplyAdd(a, a, lo);
                hi = Fma.MultiplyAdd(b, b, hi);
            }

            Vector256<double> s = Avx.Add(lo, hi);
            sum = (s.GetElement(0) + s.GetElement(2)) + (s.GetElement(1) + s.GetElement(3));
        }

        for (; i < n; i++)
        {
            sum = Math.FusedMultiplyAdd(x[i], (double)x[i], sum);
        }

        return sum;
    }
}
