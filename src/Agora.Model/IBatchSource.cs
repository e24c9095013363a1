namespace Agora.Model;

/// <summary>
/// Training batches as a pure function of the step: the batch for step s is (B, T+1) tokens, row-major. Being a function
/// of the step (not of how many batches were read before) is what makes save-and-resume reproduce an uninterrupted run.
/// </summary>
public interface IBatchSource
{
    int BatchSize { get; }

    int SeqLen { get; }

    int[] Batch(long step);
}
