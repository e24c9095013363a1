using Agora.Data;

namespace Agora.SparseLoCo.Experiments;

/// <summary>The token stream of an experiment, split once: the first 90% is cut into one-sequence pages that peers draw
/// from (seed = BLAKE2b(uid, window, salt), as miners do); the last 10% gives the held-out sequences.</summary>
public sealed class ExperimentData
{
    public ExperimentData(int[] tokens, int vocabSize, int seqLen, int evalSequences, string source)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        for (var i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocabSize)
            {
                throw new ArgumentException($"Token {tokens[i]} at position {i} of {source} is outside the model's vocabulary of {vocabSize}; tokenize with a matching vocabulary size.", nameof(tokens));
            }
        }

        var row = seqLen + 1;
        var heldOutTokens = Math.Max(tokens.Length / 10, evalSequences * row);
        if (tokens.Length - heldOutTokens < row)
        {
            throw new ArgumentException($"{source} has {tokens.Length} tokens; {evalSequences} held-out sequences of {row} tokens plus training pages need more. Give more data or a shorter sequence.");
        }

        Source = source;
        TokenCount = tokens.Length;
        Train = new PagedDataset(tokens[..^heldOutTokens], seqLen, sequencesPerPage: 1);
        var heldOutStart = tokens.Length - heldOutTokens;
        HeldOut = tokens[heldOutStart..(heldOutStart + (evalSequences * row))];
        EvalSequences = evalSequences;
        SeqLen = seqLen;
    }

    public string Source { get; }

    public int TokenCount { get; }

    public PagedDataset Train { get; }

    /// <summary>Held-out sequences. // (evalSequences, T + 1)</summary>
    public int[] HeldOut { get; }

    public int EvalSequences { get; }

    public int SeqLen { get; }
}
