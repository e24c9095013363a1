namespace Agora.Data;

/// <summary>
/// A token stream cut into pages: page p is tokens [p·PageTokens, (p+1)·PageTokens); a trailing partial page
/// is not used. A page holds <see cref="SequencesPerPage"/> training sequences of SequenceLength + 1 tokens
/// (inputs plus the shifted targets), laid end to end, so PageTokens = SequencesPerPage × (SequenceLength + 1).
/// </summary>
public sealed class PagedDataset
{
    private readonly int[] _tokens;

    public PagedDataset(int[] tokens, int sequenceLength, int sequencesPerPage)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (sequenceLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, "The sequence length must be at least 1.");
        }

        if (sequencesPerPage < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sequencesPerPage), sequencesPerPage, "A page must hold at least one sequence.");
        }

        SequenceLength = sequenceLength;
        SequencesPerPage = sequencesPerPage;
        PageTokens = checked(sequencesPerPage * (sequenceLength + 1));
        PageCount = tokens.Length / PageTokens;
        if (PageCount == 0)
        {
            throw new ArgumentException(
                $"The dataset has {tokens.Length} tokens, fewer than one page of {PageTokens} ({sequencesPerPage} × ({sequenceLength} + 1)); use more data or a shorter sequence.",
                nameof(tokens));
        }

        _tokens = tokens;
    }

    /// <summary>Concatenates shard files (in the given order) into one paged dataset; tokens are checked against <paramref name="vocabSize"/>.</summary>
    public static PagedDataset Load(IReadOnlyList<string> shardPaths, int sequenceLength, int sequencesPerPage, int? vocabSize = null)
    {
        ArgumentNullException.ThrowIfNull(shardPaths);
        if (shardPaths.Count == 0)
        {
            throw new ArgumentException("No token shards were given.", nameof(shardPaths));
        }

        var parts = shardPaths.Select(p => TokenShard.Read(p, vocabSize)).ToList();
        var tokens = new int[checked(parts.Sum(p => (long)p.Length))];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(tokens, at);
            at += part.Length;
        }

        return new PagedDataset(tokens, sequenceLength, sequencesPerPage);
    }

    public int SequenceLength { get; }

    public int SequencesPerPage { get; }

    public int PageTokens { get; }

    public long PageCount { get; }

    /// <summary>The tokens of one page: (SequencesPerPage, SequenceLength + 1).</summary>
    public ReadOnlySpan<int> Page(long page)
    {
        if (page < 0 || page >= PageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(page), page, $"Page index outside [0, {PageCount}).");
        }

        return _tokens.AsSpan(checked((int)(page * PageTokens)), PageTokens);
    }

    /// <summary>
    /// The sequences of the given pages, in page order, grouped into batches of <paramref name="batchSize"/>
    /// sequences; each batch is one int[] of shape (B, T + 1). Sequences left over after the last full batch are dropped.
    /// </summary>
    public IReadOnlyList<int[]> Batches(IReadOnlyList<long> pages, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(pages);
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        }

        var rowTokens = SequenceLength + 1;
        var batches = new List<int[]>();
        var batch = new int[batchSize * rowTokens]; // (B, T + 1)
        var row = 0;
        foreach (var page in pages)
        {
            var tokens = Page(page);
            for (var s = 0; s < SequencesPerPage; s++)
            {
                tokens.Slice(s * rowTokens, rowTokens).CopyTo(batch.AsSpan(row * rowTokens));
                if (++row == batchSize)
                {
                    batches.Add(batch);
                    batch = new int[batchSize * rowTokens];
                    row = 0;
                }
            }
        }

        return batches;
    }
}
