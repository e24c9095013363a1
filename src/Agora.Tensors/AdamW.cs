namespace Agora.Tensors;

/// <summary>AdamW with PyTorch semantics: p ← p·(1 − lr·wd); m, v moment updates; bias correction with the 1-based step.</summary>
public static class AdamW
{
    public static unsafe void Step(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, float lr, float beta1, float beta2, float eps, float weightDecay, int step, int threads = 1)
    {
        OptimizerArgs.AdamW(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
        Check.Threads(threads);
        var c = new Coefficients(lr, beta1, beta2, eps, weightDecay, step);
        fixed (float* pp = param, pg = grad, pm = m, pv = v)
        {
            nint ip = (nint)pp, ig = (nint)pg, im = (nint)pm, iv = (nint)pv;
            Workers.For(param.Length, threads, (start, end) =>
            {
                float* p = (float*)ip, g = (float*)ig, mm = (float*)im, vv = (float*)iv;
                for (int i = start; i < end; i++)
                {
                    float gi = g[i];
                    float mi = c.Beta1 * mm[i] + c.OneMinusBeta1 * gi;
                    float vi = c.Beta2 * vv[i] + c.OneMinusBeta2 * (gi * gi);
                    mm[i] = mi;
                    vv[i] = vi;
                    float denom = MathF.Sqrt(vi) / c.SqrtBias2 + c.Eps;
                    p[i] = p[i] * c.Decay - c.StepSize * (mi / denom);
                }
            });
        }
    }

    /// <summary>The per-step scalars, computed once in double and rounded to float as PyTorch's single-tensor path does.</summary>
    internal readonly struct Coefficients(float lr, float beta1, float beta2, float eps, float weightDecay, int step)
    {
        public float Beta1 { get; } = beta1;

        public float Beta2 { get; } = beta2;

        public float OneMinusBeta1 { get; } = 1f - beta1;

        public float OneMinusBeta2 { get; } = 1f - beta2;

        public float Eps { get; } = eps;

        public float Decay { get; } = (float)(1.0 - (double)lr * weightDecay);

        public float StepSize { get; } = (float)(lr / (1.0 - Math.Pow(beta1, step)));

        public float SqrtBias2 { get; } = (float)Math.Sqrt(1.0 - Math.Pow(beta2, step));
    }
}
