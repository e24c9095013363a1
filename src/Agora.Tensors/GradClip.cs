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
                float* g = (float*)ig;
                for (int blk = start; blk < end; blk++)
                {
                    int lo = blk * Block;
                    int hi = Math.Min(length, lo + Block);
                    double s = 0;
                    for (int i = lo; i < hi; i++)
                    {
                        s += (double)g[i] * g[i];
                    }

                    partial[blk] = s;
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
                Workers.For(length, threads, (start, end) =>
                {
                    float* g = (float*)ig;
                    for (int i = start; i < end; i++)
                    {
                        g[i] *= scale;
                    }
                });
            }

            return norm;
        }
    }
}
