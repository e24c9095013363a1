namespace Agora.Model;

/// <summary>
/// Mean next-token loss over a token stream cut into consecutive sequences of T+1 tokens (a partial tail is ignored),
/// evaluated in batches of at most <c>batchSize</c> sequences. Every position weighs the same, so the result does not
/// depend on the batch size beyond float rounding.
/// </summary>
public static class SequenceLoss
{
    /// <summary>
    /// Returns the mean loss and the number of sequences. With <paramref name="withGradients"/> the model's gradients are
    /// zeroed and then hold the gradient of that mean loss.
    /// </summary>
    public static (double Loss, int Sequences) Evaluate(LlamaModel model, ReadOnlySpan<int> stream, int seqLen, int batchSize, bool withGradients)
    {
        if (seqLen <= 0 || seqLen > model.Config.MaxPositionEmbeddings)
        {
            throw new ArgumentOutOfRangeException(nameof(seqLen), seqLen, $"The sequence length must be in [1, {model.Config.MaxPositionEmbeddings}] (max_position_embeddings).");
        }

        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        }

        int row = seqLen + 1;
        int sequences = stream.Length / row;
        if (sequences == 0)
        {
            throw new ArgumentException($"{stream.Length} tokens are fewer than one sequence of {row} (seq_len + 1).", nameof(stream));
        }

        if (withGradients)
        {
            model.ZeroGrad();
        }

        double total = 0;
        for (int first = 0; first < sequences; first += batchSize)
        {
            int count = Math.Min(batchSize, sequences - first);
            float loss = model.ForwardSequences(stream.Slice(first * row, count * row), count, seqLen);
            total += (double)loss * count;
            if (withGradients)
            {
                model.Backward((float)count / sequences);
            }
        }

        return (total / sequences, sequences);
    }
}
