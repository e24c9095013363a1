using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Aggregation;

/// <summary>Combines the selected peers' compressed updates into one dense aggregate, the same on every peer:
/// dequantize; per tensor, scale each peer by min(1, median norm / own norm) (norms over that tensor's decoded values,
/// median over the peers, the mean of the middle two for an even count); average each coordinate over the peers that
/// sent it; zero where nobody did. Summation order is fixed (peers in UID order, then each peer's entries in payload
/// order) and work is split by chunk only, so the result is bit-identical for any thread count.</summary>
public sealed class SparseAggregator
{
    private readonly int _threads;

    public SparseAggregator(TensorLayout layout, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Layout = layout;
        _threads = threads;
    }

    public TensorLayout Layout { get; }

    /// <summary>Aggregates decoded payloads, which must be in strictly ascending UID order.</summary>
    public float[] Aggregate(IReadOnlyList<DecodedPayload> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        for (var p = 1; p < payloads.Count; p++)
        {
            if (payloads[p].Header.Uid <= payloads[p - 1].Header.Uid)
            {
                throw new ArgumentException($"Payloads must be in strictly ascending UID order; UID {payloads[p].Header.Uid} follows {payloads[p - 1].Header.Uid}.", nameof(payloads));
            }
        }

        return Aggregate(payloads.Select(p => p.Update).ToArray());
    }

    /// <summary>Aggregates updates already in UID order. // returns (P)</summary>
    public float[] Aggregate(IReadOnlyList<CompressedUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        foreach (var update in updates)
        {
            if (!ReferenceEquals(update.Layout, Layout) && !update.Layout.Tensors.SequenceEqual(Layout.Tensors))
            {
                throw new ArgumentException("An update was made for a different parameter layout.", nameof(updates));
            }
        }

        var aggregate = new float[Layout.TotalElements];
        if (updates.Count == 0)
        {
            return aggregate;
        }

        var factors = ClipFactors(updates);
        var work = new List<(int Tensor, int Chunk)>();
        for (var t = 0; t < Layout.Count; t++)
        {
            for (var c = 0; c < Layout.Grids[t].ChunkCount; c++)
            {
                work.Add((t, c));
            }
        }

        RunPartitioned(work.Count, (start, end) =>
        {
            var sums = new double[ChunkGrid.ReferenceChunkSize];
            var counts = new int[ChunkGrid.ReferenceChunkSize];
            for (var w = start; w < end; w++)
            {
                var (t, chunk) = work[w];
                AggregateChunk(updates, factors, t, chunk, sums, counts, aggregate);
            }
        });
        return aggregate;
    }

    /// <summary>min(1, median/own) per peer and tensor: factors[peer][tensor].</summary>
    public double[][] ClipFactors(IReadOnlyList<CompressedUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var norms = new double[updates.Count][];
        for (var p = 0; p < updates.Count; p++)
        {
            norms[p] = new double[Layout.Count];
        }

        RunPartitioned(updates.Count * Layout.Count, (start, end) =>
        {
            for (var w = start; w < end; w++)
            {
                norms[w / Layout.Count][w % Layout.Count] = updates[w / Layout.Count].Tensors[w % Layout.Count].Norm();
            }
        });

        var factors = new double[updates.Count][];
        for (var p = 0; p < updates.Count; p++)
        {
            factors[p] = new double[Layout.Count];
        }

        var column = new double[updates.Count];
        for (var t = 0; t < Layout.Count; t++)
        {
            for (var p = 0; p < updates.Count; p++)
            {
                column[p] = norms[p][t];
            }

            var median = Median(column);
            for (var p = 0; p < updates.Count; p++)
            {
                var own = norms[p][t];
                factors[p][t] = own > median ? median / own : 1.0;
            }
        }

        return factors;
    }

    /// <summary>θ ← θ − α·aggregate, elementwise in float.</summary>
    public static void ApplyOuterStep(Span<float> theta, ReadOnlySpan<float> aggregate, float alpha = 1f)
    {
        if (theta.Length != aggregate.Length)
        {
            throw new ArgumentException($"θ has {theta.Length} elements, the aggregate {aggregate.Length}.", nameof(aggregate));
        }

        for (var i = 0; i < theta.Length; i++)
        {
            theta[i] -= alpha * aggregate[i];
        }
    }

    public static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }

    /// <summary>Sums each peer's scaled entries of one chunk in UID order, then writes sum/count for every entry some peer
    /// sent. Only touched entries are cleared and written, so the cost is O(peers·k), not O(chunk size).</summary>
    private void AggregateChunk(IReadOnlyList<CompressedUpdate> updates, double[][] factors, int t, int chunk, double[] sums, int[] counts, float[] aggregate)
    {
        for (var p = 0; p < updates.Count; p++)
        {
            var tensor = updates[p].Tensors[t];
            var k = tensor.KeepPerChunk;
            for (var j = chunk * k; j < (chunk + 1) * k; j++)
            {
                sums[tensor.Indices[j]] = 0;
                counts[tensor.Indices[j]] = 0;
            }
        }

        for (var p = 0; p < updates.Count; p++)
        {
            var tensor = updates[p].Tensors[t];
            var factor = factors[p][t];
            var q = tensor.Quantization;
            ReadOnlySpan<double> table = [factor * q.T0, factor * q.T1, factor * q.T2, factor * q.T3];
            var k = tensor.KeepPerChunk;
            for (var j = chunk * k; j < (chunk + 1) * k; j++)
            {
                var local = tensor.Indices[j];
                sums[local] += table[tensor.Codes[j]];
                counts[local]++;
            }
        }

        var grid = Layout.Grids[t];
        var slice = Layout.Slice(aggregate.AsSpan(), t);
        var origin = grid.ChunkOrigin(chunk);
        for (var p = 0; p < updates.Count; p++)
        {
            var tensor = updates[p].Tensors[t];
            var k = tensor.KeepPerChunk;
            for (var j = chunk * k; j < (chunk + 1) * k; j++)
            {
                var local = tensor.Indices[j];
                slice[grid.ElementOffset(origin, local)] = (float)(sums[local] / counts[local]);
            }
        }
    }

    private void RunPartitioned(int items, Action<int, int> body)
    {
        if (_threads == 1 || items < 2)
        {
            body(0, items);
            return;
        }

        var parts = Math.Min(_threads, items);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            body((int)((long)items * part / parts), (int)((long)items * (part + 1) / parts)));
    }
}
