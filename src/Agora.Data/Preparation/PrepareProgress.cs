namespace Agora.Data;

/// <summary>Progress of one preparation stage: Fraction goes from 0 to 1 within the named stage.</summary>
public readonly record struct PrepareProgress(string Stage, double Fraction);
