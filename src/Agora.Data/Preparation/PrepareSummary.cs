namespace Agora.Data;

/// <summary>What <see cref="DataPreparer.Prepare"/> wrote.</summary>
public sealed record PrepareSummary(
    string Source,
    string TokenizerPath,
    bool TokenizerTrained,
    int VocabSize,
    SplitSummary Train,
    SplitSummary Validation);
