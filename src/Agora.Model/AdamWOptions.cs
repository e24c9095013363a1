namespace Agora.Model;

/// <summary>
/// AdamW hyper-parameters (Agora's inner optimizer: β1 0.9, β2 0.95, weight decay 0.1, eps 1e-8, grad-norm clip 1.0).
/// <see cref="DecayNorms"/> false exempts the 1-D RMSNorm gains from weight decay.
/// </summary>
public sealed record AdamWOptions(
    float Beta1 = 0.9f,
    float Beta2 = 0.95f,
    float Eps = 1e-8f,
    float WeightDecay = 0.1f,
    double ClipNorm = 1.0,
    bool DecayNorms = true)
{
    public static AdamWOptions Default { get; } = new();
}
