using Agora.Model;

namespace Agora.SparseLoCo.Experiments;

/// <summary>Settings of a side-by-side run of SparseLoCo, DiLoCo and data-parallel training on the same data and token
/// budget: every method sees the same sequences (peer p's pages for window r) in the same order.</summary>
public sealed record ExperimentOptions
{
    public required ModelConfig Config { get; init; }

    public string ConfigName { get; init; } = "custom";

    public int Peers { get; init; } = 4;

    /// <summary>H: inner AdamW steps per round (data-parallel takes the same number of synchronous steps per round).</summary>
    public int InnerSteps { get; init; } = 15;

    public int Rounds { get; init; } = 10;

    /// <summary>Sequences per peer per inner step.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Tokens per sequence; 0 means the config's max_position_embeddings.</summary>
    public int SequenceLength { get; init; }

    public ulong Seed { get; init; } = 1;

    public float InnerLearningRate { get; init; } = 1e-3f;

    public int Threads { get; init; } = 1;

    public CodecSettings Codec { get; init; } = CodecSettings.Default;

    /// <summary>α in θ ← θ − α·aggregate for SparseLoCo.</summary>
    public float SparseOuterLearningRate { get; init; } = 1.0f;

    public float DiLoCoOuterLearningRate { get; init; } = 0.7f;

    public float DiLoCoMomentum { get; init; } = 0.9f;

    /// <summary>Held-out sequences scored after every round.</summary>
    public int EvalSequences { get; init; } = 16;

    public int SeqLen => SequenceLength > 0 ? SequenceLength : Config.MaxPositionEmbeddings;

    public long TotalInnerSteps => (long)Rounds * InnerSteps;

    public void Validate()
    {
        Config.Validate();
        Codec.Validate();
        Require(Peers >= 1, $"--peers must be at least 1 (got {Peers})");
        Require(InnerSteps >= 1, $"--inner-steps must be at least 1 (got {InnerSteps})");
        Require(Rounds >= 1, $"--rounds must be at least 1 (got {Rounds})");
        Require(BatchSize >= 1, $"--batch must be at least 1 (got {BatchSize})");
        Require(SeqLen >= 2 && SeqLen <= Config.MaxPositionEmbeddings, $"the sequence length must be in 2..{Config.MaxPositionEmbeddings} (got {SeqLen})");
        Require(Threads >= 1, $"--threads must be at least 1 (got {Threads})");
        Require(EvalSequences >= 1, $"at least one held-out sequence is needed (got {EvalSequences})");
        Require(float.IsFinite(InnerLearningRate) && InnerLearningRate > 0, $"--lr must be positive (got {InnerLearningRate})");
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"Invalid experiment settings: {message}.");
        }
    }
}
