namespace Agora.Data;

/// <summary>
/// Settings of <see cref="DataPreparer"/>. With no <see cref="DataPaths"/> the built-in SDK-docs corpus is used.
/// With <see cref="TokenizerPath"/> the tokenizer is loaded instead of trained (required when inputs are shards).
/// Every <see cref="ValidationEvery"/>-th document goes to the validation split.
/// </summary>
public sealed record PrepareOptions(string OutputDirectory)
{
    public IReadOnlyList<string> DataPaths { get; init; } = [];

    public int VocabSize { get; init; } = 4096;

    public string? TokenizerPath { get; init; }

    public int ValidationEvery { get; init; } = 20;

    /// <summary>Tokens per output shard; the llm.c header counts tokens in an int32.</summary>
    public int MaxTokensPerShard { get; init; } = 100_000_000;
}
