using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agora.Tensors;

/// <summary>AdamW with PyTorch semantics: p ← p·(1 − lr·wd); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
/// p ← p − lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps), t the 1-based step. Elementwise, with identical
/// operations in vector bodies and tails, so any split gives the same bits.</summary>
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
            Workers.For(param.Length, threads, (start, end) => Range(c, (float*)ip, (float*)ig, (float*)im, (float*)iv, start, end));
        }
    }

    private static unsafe void Range(Coefficients c, float* p, float* g, float* m, float* v, int start, int end)
    {
        int i = start;
        if (VectorMath.UseVector256)
        {
            Vector256<float> b1 = Vector256.Create(c.Beta1), b2 = Vector256.Create(c.Beta2);
            Vector256<float> nb1 = Vector256.Create(c.OneMinusBeta1), nb2 = Vector256.Create(c.OneMinusBeta2);
            Vector256<float> eps = Vector256.Create(c.Eps), decay = Vector256.Create(c.Decay);
            Vector256<float> stepSize = Vector256.Create(c.StepSize), sqrtBias2 = Vector256.Create(c.SqrtBias2);
            for (; i + 8 <= end; i += 8)
            {
                Vector256<float> gi = Avx.LoadVector256(g + i);
                Vector256<float> mi = Avx.Add(Avx.Multiply(b1, Avx.LoadVector256(m + i)), Avx.Multiply(nb1, gi));
                Vector256<float> vi = Avx.Add(Avx.Multiply(b2, Avx.LoadVector256(v + i)), Avx.Multiply(nb2, Avx.Multiply(gi, gi)));
                Avx.Store(m + i, mi);
                Avx.Store(v + i, vi);
                Vector256<float> denom = Avx.Add(Avx.Divide(Avx.Sqrt(vi), sqrtBias2), eps);
                Vector256<float> pi = Avx.Multiply(Avx.LoadVector256(p + i), decay);
                Avx.Store(p + i, Avx.Subtract(pi, Avx.Multiply(stepSize, Avx.Divide(mi, denom))));
            }
        }

        for (; i < end; i++)
        {
            float gi = g[i];
            float mi = c.Beta1 * m[i] + c.OneMinusBeta1 * gi;
            float vi = c.Beta2 * v[i] + c.OneMinusBeta2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            float denom = MathF.Sqrt(vi) / c.SqrtBias2 + c.Eps;
            p[i] = p[i] * c.Decay - c.StepSize * (mi / denom);
        }
    }

    /// <summary>The per-step scalars, computed once in double and rounded to float.</summary>
    private readonly struct Coefficients(float lr, float beta1, float beta2, float eps, float weightDecay, int step)
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
