namespace Agora.Gauntlet.OpenSkill;

/// <summary>Model hyper-parameters; the defaults are openskill.py 6.2.0's.</summary>
public sealed record OpenSkillOptions
{
    public double Mu { get; init; } = 25.0;
    public double Sigma { get; init; } = 25.0 / 3.0;
    public double Beta { get; init; } = 25.0 / 6.0;
    public double Kappa { get; init; } = 0.0001;
    public double Tau { get; init; } = 25.0 / 300.0;

    /// <summary>Caps each new σ at the σ the player had before τ was added.</summary>
    public bool LimitSigma { get; init; }

    /// <summary>Weights each player's contribution to the team sum by how far below the team's best ordinal they are.</summary>
    public bool Balance { get; init; }

    /// <summary>Score margin for "impressive" wins (Plackett-Luce with scores only); 0 turns it off.</summary>
    public double Margin { get; init; }

    /// <summary>Draw margin of the Thurstone-Mosteller models.</summary>
    public double Epsilon { get; init; } = 0.1;

    /// <summary>How many neighbours on each side of a team (in rank order) the partial-pairing models compare it with.</summary>
    public int WindowSize { get; init; } = 4;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate()
    {
        RequireFinite(Mu, nameof(Mu));
        RequirePositive(Sigma, nameof(Sigma));
        RequirePositive(Beta, nameof(Beta));
        RequirePositive(Kappa, nameof(Kappa));
        RequireFinite(Tau, nameof(Tau));
        if (Tau < 0)
        {
            throw new ArgumentException($"OpenSkill option Tau must be >= 0, got {Tau}.");
        }

        RequireFinite(Margin, nameof(Margin));
        if (Margin < 0)
        {
            throw new ArgumentException($"OpenSkill option Margin must be >= 0, got {Margin}.");
        }

        RequirePositive(Epsilon, nameof(Epsilon));
        if (WindowSize < 1)
        {
            throw new ArgumentException($"OpenSkill option WindowSize must be >= 1, got {WindowSize}.");
        }
    }

    private static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"OpenSkill option {name} must be a finite number, got {value}.");
        }
    }

    private static void RequirePositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentException($"OpenSkill option {name} must be a finite number > 0, got {value}.");
        }
    }
}
