using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>subtensor's stake-weighted median: a deterministic quickselect with the middle element as pivot
/// (vectors TV-1 and TV-2). The order of the partitions is kept stable because the pivot depends on it.</summary>
public static class WeightedMedian
{
    /// <summary>weighted_median(stake, score, partition_idx, minority, partition_lo, partition_hi).</summary>
    public static I32F32 Compute(
        ReadOnlySpan<I32F32> stake,
        ReadOnlySpan<I32F32> score,
        ReadOnlySpan<int> partitionIdx,
        I32F32 minority,
        I32F32 partitionLo,
        I32F32 partitionHi)
    {
        if (stake.Length != score.Length)
        {
            throw new ArgumentException($"stake has {stake.Length} entries but score has {score.Length}", nameof(score));
        }

        var length = partitionIdx.Length;
        if (length == 0)
        {
            return I32F32.Zero;
        }

        var buffer = new int[3 * length];
        var current = buffer.AsSpan(0, length);
        var lower = buffer.AsSpan(length, length);
        var upper = buffer.AsSpan(2 * length, length);
        foreach (var index in partitionIdx)
        {
            if ((uint)index >= (uint)stake.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(partitionIdx), index, "partition index outside the stake vector");
            }
        }

        partitionIdx.CopyTo(current);
        var count = length;
        var lo = partitionLo;
        var hi = partitionHi;
        var iterations = 0;
        while (true)
        {
            if (count == 0)
            {
                return I32F32.Zero;
            }

            if (count == 1)
            {
                return score[current[0]];
            }

            var pivot = score[current[count / 2]];
            int lowerCount = 0, upperCount = 0;
            var loStake = I32F32.Zero;
            var hiStake = I32F32.Zero;
            for (var i = 0; i < count; i++)
            {
                var k = current[i];
                if (score[k] < pivot)
                {
                    lower[lowerCount++] = k;
                    loStake = I32F32.SaturatingAdd(loStake, stake[k]);
                }
                else if (score[k] > pivot)
                {
                    upper[upperCount++] = k;
                    hiStake = I32F32.SaturatingAdd(hiStake, stake[k]);
                }
            }

            var loBound = I32F32.SaturatingAdd(lo, loStake);
            var hiBound = I32F32.SaturatingSub(hi, hiStake);
            if (minority < loBound && lowerCount > 0)
            {
                lower[..lowerCount].CopyTo(current);
                count = lowerCount;
                hi = loBound;
            }
            else if (hiBound <= minority && upperCount > 0)
            {
                upper[..upperCount].CopyTo(current);
                count = upperCount;
                lo = hiBound;
            }
            else
            {
                return pivot;
            }

            iterations++;
            if (iterations > length)
            {
                return I32F32.Zero;
            }
        }
    }

    /// <summary>weighted_median_col_sparse: the stake-weighted median of every column over the rows with positive
    /// stake, with that stake re-normalised. Absent entries count as 0; a later duplicate entry in a row wins.</summary>
    public static I32F32[] ColumnSparse(ReadOnlySpan<I32F32> stake, IReadOnlyList<FixedEntry[]> weights, int columns, I32F32 majority)
    {
        if (weights.Count != stake.Length)
        {
            throw new ArgumentException($"{weights.Count} weight rows for {stake.Length} stakes", nameof(weights));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        var rowOf = new List<int>();
        for (var i = 0; i < stake.Length; i++)
        {
            if (stake[i] > I32F32.Zero)
            {
                rowOf.Add(i);
            }
        }

        var used = rowOf.Count;
        var useStake = new I32F32[used];
        for (var k = 0; k < used; k++)
        {
            useStake[k] = stake[rowOf[k]];
        }

        FixedVector.Normalize(useStake);
        var sum = FixedVector.Sum(useStake);
        var minority = I32F32.SaturatingSub(sum, majority);

        var scores = new I32F32[columns * used];  // (columns, used): column-major so each median reads one slice
        for (var k = 0; k < used; k++)
        {
            foreach (var entry in weights[rowOf[k]])
            {
                if ((uint)entry.Column >= (uint)columns)
                {
                    throw new ArgumentOutOfRangeException(nameof(weights), entry.Column, $"weight column outside 0..{columns - 1}");
                }

                scores[entry.Column * used + k] = entry.Value;
            }
        }

        var partition = new int[used];
        for (var k = 0; k < used; k++)
        {
            partition[k] = k;
        }

        var result = new I32F32[columns];
        for (var c = 0; c < columns; c++)
        {
            result[c] = Compute(useStake, scores.AsSpan(c * used, used), partition, minority, I32F32.Zero, sum);
        }

        return result;
    }
}
