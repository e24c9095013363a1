using System.Numerics;
using System.Runtime.InteropServices;

namespace Agora.SparseLoCo.Codec;

/// <summary>Top-k by magnitude inside one chunk, ties broken towards the lower local index, so the selection is a pure
/// function of the values. A min-heap of k keys holds the current best; key = |a| bits (monotone for non-negative floats)
/// in the high word and (4095 − local index) in the low word, so the heap top is always the entry to evict.</summary>
public static class ChunkTopK
{
    /// <summary>Writes the k selected local indices of the chunk at <paramref name="origin"/> into
    /// <paramref name="selected"/>, ascending. <paramref name="heap"/> is scratch of at least k keys.</summary>
    public static void Select(ReadOnlySpan<float> tensor, ChunkGrid grid, int origin, Span<ulong> heap, Span<ushort> selected)
    {
        var k = selected.Length;
        heap = heap[..k];
        var count = 0;
        var width = grid.ChunkCols;
        var floor = grid.ChunkRows >= k ? MinOfRowMaxima(tensor, grid, origin) : 0u;
        var threshold = floor;
        var mask = new Vector<uint>(0x7FFF_FFFFu);
        for (var r = 0; r < grid.ChunkRows; r++)
        {
            var row = MemoryMarshal.Cast<float, uint>(tensor.Slice(origin + (r * grid.Cols), width));
            var c = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; c <= width - Vector<uint>.Count; c += Vector<uint>.Count)
                {
                    // Most entries fall below the current bound: skip whole vectors of them.
                    if (Vector.LessThanAll(new Vector<uint>(row[c..]) & mask, new Vector<uint>(threshold)))
                    {
                        continue;
                    }

                    for (var j = c; j < c + Vector<uint>.Count; j++)
                    {
                        Consider(heap, ref count, row[j] & 0x7FFF_FFFFu, (r * width) + j, floor, ref threshold);
                    }
                }
            }

            for (; c < width; c++)
            {
                Consider(heap, ref count, row[c] & 0x7FFF_FFFFu, (r * width) + c, floor, ref threshold);
            }
        }

        for (var i = 0; i < k; i++)
        {
            selected[i] = (ushort)(4095 - (int)(uint)heap[i]);
        }

        selected.Sort();
    }

    private static ulong Key(uint bits, int local) => ((ulong)bits << 32) | (uint)(4095 - local);

    /// <summary>A lower bound on the k-th largest |a| when the chunk has at least k rows: the rows' maxima are that many
    /// distinct entries, so the k-th largest is at least the smallest of them. Entries below it can never be selected.</summary>
    private static uint MinOfRowMaxima(ReadOnlySpan<float> tensor, ChunkGrid grid, int origin)
    {
        var floor = uint.MaxValue;
        var mask = new Vector<uint>(0x7FFF_FFFFu);
        for (var r = 0; r < grid.ChunkRows; r++)
        {
            var row = MemoryMarshal.Cast<float, uint>(tensor.Slice(origin + (r * grid.Cols), grid.ChunkCols));
            uint max = 0;
            var c = 0;
            if (Vector.IsHardwareAccelerated && row.Length >= Vector<uint>.Count)
            {
                var lanes = Vector<uint>.Zero;
                for (; c <= row.Length - Vector<uint>.Count; c += Vector<uint>.Count)
                {
                    lanes = Vector.Max(lanes, new Vector<uint>(row[c..]) & mask);
                }

                for (var lane = 0; lane < Vector<uint>.Count; lane++)
                {
                    max = Math.Max(max, lanes[lane]);
                }
            }

            for (; c < row.Length; c++)
            {
                max = Math.Max(max, row[c] & 0x7FFF_FFFFu);
            }

            floor = Math.Min(floor, max);
        }

        return floor;
    }

    /// <summary>Offers entry (bits, local) to the heap. Entries arrive in ascending local order, so an equal magnitude
    /// never displaces an entry already held (the lower index wins ties). <paramref name="threshold"/> is the larger of
    /// the floor and the heap's smallest magnitude once the heap is full.</summary>
    private static void Consider(Span<ulong> heap, ref int count, uint bits, int local, uint floor, ref uint threshold)
    {
        if (bits < threshold)
        {
            return;
        }

        var key = Key(bits, local);
        if (count < heap.Length)
        {
            heap[count] = key;
            SiftUp(heap, count);
            if (++count == heap.Length)
            {
                threshold = Math.Max(floor, (uint)(heap[0] >> 32));
            }
        }
        else if (key > heap[0])
        {
            heap[0] = key;
            SiftDown(heap, 0);
            threshold = Math.Max(floor, (uint)(heap[0] >> 32));
        }
    }

    private static void SiftUp(Span<ulong> heap, int i)
    {
        var item = heap[i];
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (heap[parent] <= item)
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = item;
    }

    private static void SiftDown(Span<ulong> heap, int i)
    {
        var item = heap[i];
        var n = heap.Length;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && heap[child + 1] < heap[child])
            {
                child++;
            }

            if (heap[child] >= item)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = item;
    }
}
