namespace Agora.Gauntlet.OpenSkill;

/// <summary>
/// The outcome of one match and per-call overrides. Give <see cref="Ranks"/> (lower is better) or
/// <see cref="Scores"/> (higher is better), not both; with neither, teams finished in input order.
/// </summary>
public sealed record RateOptions
{
    public IReadOnlyList<double>? Ranks { get; init; }
    public IReadOnlyList<double>? Scores { get; init; }

    /// <summary>Per team, per player contribution; each team's weights are rescaled to [1, 2] (a one-player team's to 2).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Weights { get; init; }

    /// <summary>Overrides the model's τ for this match only.</summary>
    public double? Tau { get; init; }

    /// <summary>Overrides the model's limit-σ setting for this match only (openskill.py makes it sticky; Agora does not).</summary>
    public bool? LimitSigma { get; init; }
}
