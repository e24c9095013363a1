namespace Agora.Model;

/// <summary>
/// Cuts a token stream into consecutive, non-overlapping rows of T+1 tokens (the llm.c and `agora model loss` layout)
/// and serves rows s·B … s·B+B−1 (modulo the row count) as the batch for step s.
/// </summary>
public sealed class TokenStreamBatches : IBatchSource
{
    private readonly int[] _tokens;

    public TokenStreamBatches(int[] tokens, int batchSize, int seqLen)
    {
        if (batchSize <= 0 || seqLen <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"Batch size ({batchSize}) and sequence length ({seqLen}) must be positive.");
        }

        if (tokens.Length < seqLen + 1)
        {
            throw new ArgumentException($"The token stream has {tokens.Length} tokens, fewer than one sequence of {seqLen + 1}.", nameof(tokens));
        }

        _tokens = tokens;
        BatchSize = batchSize;
        SeqLen = seqLen;
        RowCount = tokens.Length / (seqLen + 1);
    }

    public int BatchSize { get; }

    public int SeqLen { get; }

    /// <summary>Whole rows of T+1 tokens in the stream (a partial tail is not used).</summary>
    public long RowCount { get; }

    public int[] Batch(long step)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Steps start at 0.");
        }

        int row = SeqLen + 1;
        var batch = new int[BatchSize * row];
        for (int b = 0; b < BatchSize; b++)
        {
            long index = ((step * BatchSize) + b) % RowCount;
            _tokens.AsSpan((int)(index * row), row).CopyTo(batch.AsSpan(b * row));
        }

        return batch;
    }
}
