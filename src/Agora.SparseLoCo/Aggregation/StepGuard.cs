namespace Agora.SparseLoCo.Aggregation;

/// <summary>
/// Checks on a vector before it may change θ: an outer-step aggregate, or a checkpoint of θ received from another peer.
/// Every honest peer applies the same checks to the same bytes, so refusing keeps them identical; a refused vector
/// leaves θ as it was.
/// </summary>
public static class StepGuard
{
    /// <summary>
    /// The largest change one outer step may make to any coordinate of θ (|α·aggregate_i|). Inner AdamW moves a
    /// coordinate by at most about 3.2·lr per step even in its worst bias-corrected case (lr·(1−β1)/√(1−β2) with the
    /// usual β1 = 0.9, β2 = 0.999), so H inner steps move it by at most 3.2·H·lr: 0.31 at the devnet's lr of 3e-3 with
    /// as many as 32 inner steps. The aggregate is a median-norm-clipped mean of such deltas, so an honest step stays
    /// well below 1; a step of 1 in any coordinate replaces weights of typical magnitude 0.02–1 rather than training them.
    /// </summary>
    public const float MaxStepPerCoordinate = 1f;

    /// <summary>
    /// How far (per coordinate) a checkpoint may move a peer that already holds θ. Peers hold the same θ except across a
    /// change of lead, which a checkpoint mends within a couple of <c>CheckpointEvery</c> (5) windows; each window moves
    /// a coordinate by at most <see cref="MaxStepPerCoordinate"/>, so 10 windows' worth is the most an honest checkpoint corrects.
    /// </summary>
    public const float MaxCheckpointCorrection = 10 * MaxStepPerCoordinate;

    /// <summary>Null when every value is finite; otherwise a message naming the first bad index.</summary>
    public static string? NonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return $"value {i} is {values[i]}";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="aggregate"/> may be applied with learning rate <paramref name="alpha"/>; otherwise why not.</summary>
    public static string? RefuseStep(ReadOnlySpan<float> aggregate, float alpha)
    {
        if (NonFinite(aggregate) is { } bad)
        {
            return $"non-finite aggregate: {bad}";
        }

        for (var i = 0; i < aggregate.Length; i++)
        {
            var step = Math.Abs(alpha * aggregate[i]);
            if (!float.IsFinite(step) || step > MaxStepPerCoordinate)
            {
                return $"outer step of {step:G4} at coordinate {i}, over the bound of {MaxStepPerCoordinate}";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="checkpoint"/> may replace <paramref name="theta"/> (empty: a peer with no θ yet); otherwise why not.</summary>
    public static string? RefuseCheckpoint(ReadOnlySpan<float> checkpoint, ReadOnlySpan<float> theta)
    {
        if (NonFinite(checkpoint) is { } bad)
        {
            return $"non-finite checkpoint: {bad}";
        }

        if (theta.Length == 0)
        {
            return null;
        }

        if (theta.Length != checkpoint.Length)
        {
            return $"checkpoint of {checkpoint.Length} values for θ of {theta.Length}";
        }

        for (var i = 0; i < theta.Length; i++)
        {
            var d = Math.Abs(checkpoint[i] - theta[i]);
            if (!(d <= MaxCheckpointCorrection))
            {
                return $"checkpoint moves coordinate {i} by {d:G4}, over the bound of {MaxCheckpointCorrection}";
            }
        }

        return null;
    }
}
