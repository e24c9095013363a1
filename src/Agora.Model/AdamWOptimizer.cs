using Agora.Tensors;

namespace Agora.Model;

/// <summary>
/// AdamW with PyTorch's semantics (decoupled decay p ← p − lr·wd·p, then the bias-corrected Adam update), the first and
/// second moments each in one <see cref="FlatBuffer"/> in parameter order, and global grad-norm clipping before the step.
/// </summary>
public sealed class AdamWOptimizer
{
    public AdamWOptimizer(ParameterLayout layout, AdamWOptions? options = null)
    {
        Options = options ?? AdamWOptions.Default;
        M = new FlatBuffer(layout);
        V = new FlatBuffer(layout);
    }

    public AdamWOptions Options { get; }

    public FlatBuffer M { get; }

    public FlatBuffer V { get; }

    /// <summary>Number of steps taken (PyTorch's per-parameter "step"); the next step uses bias correction for Step + 1.</summary>
    public int Step { get; set; }

    /// <summary>Clips the gradients in place (if ClipNorm > 0), applies one update with <paramref name="lr"/>, returns the pre-clip norm.</summary>
    public double Update(FlatBuffer parameters, FlatBuffer gradients, float lr, int threads = 1)
    {
        if (!float.IsFinite(lr) || lr < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lr), lr, "The learning rate must be a finite number ≥ 0.");
        }

        double norm = Options.ClipNorm > 0
            ? GradClip.ClipGlobalNorm(gradients.Data, Options.ClipNorm, threads)
            : double.NaN;
        Step++;
        var o = Options;
        if (o.DecayNorms)
        {
            AdamW.Step(parameters.Data, gradients.Data, M.Data, V.Data, lr, o.Beta1, o.Beta2, o.Eps, o.WeightDecay, Step, threads);
        }
        else
        {
            foreach (var tensor in parameters.Layout.Tensors)
            {
                float wd = tensor.IsMatrix ? o.WeightDecay : 0f;
                AdamW.Step(parameters[tensor], gradients[tensor], M[tensor], V[tensor], lr, o.Beta1, o.Beta2, o.Eps, wd, Step, threads);
            }
        }

        return norm;
    }

    public void Reset()
    {
        M.Clear();
        V.Clear();
        Step = 0;
    }
}
