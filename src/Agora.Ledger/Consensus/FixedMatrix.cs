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

    /// <summary>mat_ema_sparse: per row, sat_add(sat_add(0, alpha·new), (1−alpha)·old) per column, keeping the positive
    /// results in column order. Rows are merged in column order (subtensor accumulates densely; the result is the same).</summary>
    public static FixedEntry[][] MovingAverage(FixedEntry[][] next, FixedEntry[][] previous, I32F32 alpha, int columns)
    {
        if (next.Length != previous.Length)
        {
            throw new ArgumentException($"{next.Length} new rows but {previous.Length} old rows", nameof(previous));
        }

        var oneMinusAlpha = I32F32.One - alpha;
        var result = new FixedEntry[next.Length][];
        var buffer = new List<FixedEntry>(columns);
        for (var i = 0; i < next.Length; i++)
        {
            var a = SortedRow(next[i], columns);
            var b = SortedRow(previous[i], columns);
            int ia = 0, ib = 0;
            buffer.Clear();
            while (ia < a.Length || ib < b.Length)
            {
                var column = ib >= b.Length || (ia < a.Length && a[ia].Column < b[ib].Column) ? a[ia].Column : b[ib].Column;
                var value = I32F32.Zero;
                if (ia < a.Length && a[ia].Column == column)
                {
                    value = I32F32.SaturatingAdd(value, I32F32.SaturatingMul(alpha, a[ia++].Value));
                }

                if (ib < b.Length && b[ib].Column == column)
                {
                    value = I32F32.SaturatingAdd(value, I32F32.SaturatingMul(oneMinusAlpha, b[ib++].Value));
                }

                if (value > I32F32.Zero)
                {
                    buffer.Add(new FixedEntry(column, value));
                }
            }

            result[i] = buffer.ToArray();
        }

        return result;
    }

    /// <summary>The row itself when its columns strictly ascend (the epoch's invariant), else a sorted copy;
    /// throws on a repeated or out-of-range column.</summary>
    public static FixedEntry[] SortedRow(FixedEntry[] row, int columns)
    {
        var sorted = true;
        for (var k = 0; k < row.Length; k++)
        {
            if ((uint)row[k].Column >= (uint)columns)
            {
                throw new ArgumentOutOfRangeException(nameof(row), row[k].Column, $"column outside 0..{columns - 1}");
            }

            if (k > 0 && row[k].Column <= row[k - 1].Column)
            {
                sorted = false;
            }
        }

        if (sorted)
        {
            return row;
        }

        var copy = (FixedEntry[])row.Clone();
        Array.Sort(copy, static (x, y) => x.Column.CompareTo(y.Column));
        for (var k = 1; k < copy.Length; k++)
        {
            if (copy[k].Column == copy[k - 1].Column)
            {
                throw new ArgumentException($"column {copy[k].Column} appears twice in a row", nameof(row));
            }
        }

        return copy;
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
