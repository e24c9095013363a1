namespace Agora.Gauntlet.OpenSkill;

/// <summary>A player's skill belief: a Gaussian with mean <see cref="Mu"/> and standard deviation <see cref="Sigma"/>.</summary>
public readonly record struct Rating(double Mu, double Sigma)
{
    /// <summary>The conservative skill estimate μ − z·σ (openskill.py's ordinal with alpha 1 and target 0).</summary>
    public double Ordinal(double z = 3.0) => Mu - (z * Sigma);
}
