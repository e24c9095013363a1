namespace Agora.Tensors;

internal static class OptimizerArgs
{
    public static void AdamW(ReadOnlySpan<float> param, ReadOnlySpan<float> grad, ReadOnlySpan<float> m, ReadOnlySpan<float> v, float lr, float beta1, float beta2, float eps, float weightDecay, int step)
    {
        string shape = $"(param.Length={param.Length})";
        Check.Length(grad.Length, param.Length, nameof(grad), shape);
        Check.Length(m.Length, param.Length, nameof(m), shape);
        Check.Length(v.Length, param.Length, nameof(v), shape);
        Check.Finite(lr, nameof(lr));
        Check.Finite(eps, nameof(eps));
        Check.Finite(weightDecay, nameof(weightDecay));
        if (!(beta1 >= 0f && beta1 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"beta1 must be in [0, 1), got {beta1}.");
        }

        if (!(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"beta2 must be in [0, 1), got {beta2}.");
        }

        if (eps <= 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"eps must be > 0, got {eps}.");
        }

        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"step is 1-based and must be >= 1, got {step}.");
        }
    }

    public static void Clip(double maxNorm)
    {
        if (!double.IsFinite(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"maxNorm must be a finite number > 0, got {maxNorm}.");
        }
    }
}
