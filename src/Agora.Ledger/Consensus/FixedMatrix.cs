using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>Sparse-matrix helpers of subtensor's epoch math. A matrix is one <see cref="FixedEntry"/> array per row,
/// entries in ascending column order; helpers that build rows emit them in column order.</summary>
public static class FixedMatrix
{
    public static FixedEntry[][] Empty(int rows)
    {
        var matrix = new FixedEntry[rows][];
        Array.Fill(matrix, []);
        return matrix;
    }

    /// <summary>In place: each row with a positive sum is divided by it (safe_div).</summary>
    public static void RowNormalize(FixedEntry[][] matrix)
    {
        foreach (var row in matrix)
        {
            var sum = I32F32.Zero;
            foreach (var entry in row)
            {
                sum = I32F32.SaturatingAdd(sum, entry.Value);
            }

            if (sum <= I32F32.Zero)
            {
                continue;
            }

            for (var k = 0; k < row.Length; k++)
            {
                row[k] = row[k] with { Value = I32F32.SafeDiv(row[k].Value, sum) };
            }
        }
    }

    /// <summary>In place: each entry is divided by its column's sum where that sum is non-zero.</summary>
    public static void ColumnNormalize(FixedEntry[][] matrix, int columns)
    {
        var sums = new I32F32[columns];
        foreach (var row in matrix)
        {
            foreach (var entry in row)
            {
                sums[entry.Column] = I32F32.SaturatingAdd(sums[entry.Column], entry.Value);
            }
        }

        foreach (var row in matrix)
        {
            for (var k = 0; k < row.Length; k++)
            {
                var sum = sums[row[k].Column];
                if (!sum.IsZero)
                {
                    row[k] = row[k] with { Value = I32F32.SafeDiv(row[k].Value, sum) };
                }
            }
        }
    }

    /// <summary>In place: each entry is divided by its column's maximum where that maximum is non-zero.</summary>
    public static void ColumnMaxUpscale(FixedEntry[][] matrix, int columns)
    {
        var maxima = new I32F32[columns];
        foreach (var row in matrix)
        {
            foreach (var entry in row)
            {
                maxima[entry.Column] = I32F32.Max(maxima[entry.Column], entry.Value);
            }
        }

        foreach (var row in matrix)
        {
            for (var k = 0; k < row.Length; k++)
            {
                var max = maxima[row[k].Column];
                if (!max.IsZero)
                {
                    row[k] = row[k] with { Value = I32F32.SafeDiv(row[k].Value, max) };
                }
            }
        }
    }

    /// <summary>mat_ema_sparse: per row, alpha*new + (1-alpha)*old accumulated densely (saturating), keeping
    /// the positive results in column order.</summary>
    public static FixedEntry[][] MovingAverage(FixedEntry[][] next, FixedEntry[][] previous, I32F32 alpha, int columns)
    {
        if (next.Length != previous.Length)
        {
            throw new ArgumentException($"{next.Length} new rows but {previous.Length} old rows", nameof(previous));
        }

        var oneMinusAlpha = I32F32.One - alpha;
        var result = new FixedEntry[next.Length][];
        var accumulator = new I32F32[columns];
        var touched = new List<int>(columns);
        var seen = new bool[columns];
        for (var i = 0; i < next.Length; i++)
        {
            foreach (var entry in next[i])
            {
                Touch(entry.Column);
                accumulator[entry.Column] = I32F32.SaturatingAdd(accumulator[entry.Column], I32F32.SaturatingMul(alpha, entry.Value));
            }

            foreach (var entry in previous[i])
            {
                Touch(entry.Column);
                accumulator[entry.Column] = I32F32.SaturatingAdd(accumulator[entry.Column], I32F32.SaturatingMul(oneMinusAlpha, entry.Value));
            }

            result[i] = Drain();
        }

        return result;

        void Touch(int column)
        {
            if (!seen[column])
            {
                seen[column] = true;
                touched.Add(column);
            }
        }

        FixedEntry[] Drain()
        {
            touched.Sort();
            var row = new List<FixedEntry>(touched.Count);
            foreach (var column in touched)
            {
                if (accumulator[column] > I32F32.Zero)
                {
                    row.Add(new FixedEntry(column, accumulator[column]));
                }

                accumulator[column] = I32F32.Zero;
                seen[column] = false;
            }

            touched.Clear();
            return row.ToArray();
        }
    }

    /// <summary>Dense copy, absent entries 0: (rows, columns).</summary>
    public static I32F32[][] ToDense(FixedEntry[][] matrix, int columns)
    {
        var dense = new I32F32[matrix.Length][];
        for (var i = 0; i < matrix.Length; i++)
        {
            dense[i] = new I32F32[columns];
            foreach (var entry in matrix[i])
            {
                dense[i][entry.Column] = entry.Value;
            }
        }

        return dense;
    }
}
