namespace Agora.Gauntlet.OpenSkill;

/// <summary>A team's predicted finishing position (1 = first, ties share a position) and its normalised win probability.</summary>
public readonly record struct RankPrediction(int Rank, double Probability);
