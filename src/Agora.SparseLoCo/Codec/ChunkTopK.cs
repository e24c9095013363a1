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
        uint threshold = 0;
        var local = 0;
        for (var r = 0; r < grid.ChunkRows; r++)
        {
            var row = tensor.Slice(origin + (r * grid.Cols), grid.ChunkCols);
            for (var c = 0; c < row.Length; c++, local++)
            {
                var bits = BitConverter.SingleToUInt32Bits(row[c]) & 0x7FFF_FFFFu;
                if (count == k)
                {
                    if (bits < threshold)
                    {
                        continue;
                    }

                    var key = ((ulong)bits << 32) | (uint)(4095 - local);
                    if (key > heap[0])
                    {
                        heap[0] = key;
                        SiftDown(heap, 0);
                        threshold = (uint)(heap[0] >> 32);
                    }
                }
                else
                {
                    heap[count] = ((ulong)bits << 32) | (uint)(4095 - local);
                    SiftUp(heap, count);
                    count++;
                    if (count == k)
                    {
                        threshold = (uint)(heap[0] >> 32);
                    }
                }
            }
        }

        for (var i = 0; i < k; i++)
        {
            selected[i] = (ushort)(4095 - (int)(uint)heap[i]);
        }

        selected.Sort();
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
