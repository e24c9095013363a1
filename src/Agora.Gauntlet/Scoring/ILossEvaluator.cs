namespace Agora.Gauntlet.Scoring;

/// <summary>
/// Evaluates the mean next-token loss of the parameters currently in <see cref="Parameters"/> on (N, T + 1) token rows.
/// The scorer writes trial weights straight into <see cref="Parameters"/>, so no buffer is allocated per miner.
/// </summary>
public interface ILossEvaluator
{
    /// <summary>The evaluation model's flat parameter buffer. // (P)</summary>
    Span<float> Parameters { get; }

    double Loss(int[] tokens);
}

/// <summary>The token rows a validator evaluates on: random pages for the window, and a miner's own pages.</summary>
public interface IEvaluationData
{
    /// <summary>(RandomSequences, T + 1) rows from pages drawn with the window's evaluation seed.</summary>
    int[] RandomRows(WindowInfo window, int sequences);

    /// <summary>(OwnSequences, T + 1) rows from the pages assigned to <paramref name="uid"/> for the window.</summary>
    int[] OwnRows(uint uid, ulong window, int sequences);
}
