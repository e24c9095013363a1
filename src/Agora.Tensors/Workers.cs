namespace Agora.Tensors;

/// <summary>Splits an index range [0, count) into contiguous chunks, one per worker. Kernels only hand it work whose
/// result per index does not depend on the chunk it lands in, which is what keeps results bit-identical for any thread count.</summary>
internal static class Workers
{
    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count); on the calling thread when threads == 1.</summary>
    public static void For(int count, int threads, Action<int, int> body)
    {
        if (count <= 0)
        {
            return;
        }

        int chunks = Math.Min(threads, count);
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, i =>
        {
            int start = (int)((long)count * i / chunks);
            int end = (int)((long)count * (i + 1) / chunks);
            body(start, end);
        });
    }

    /// <summary>Runs <paramref name="body"/>(index) for each index in [0, count), indices dealt dynamically to at most
    /// <paramref name="threads"/> workers (for tasks of uneven cost, such as causal attention rows).</summary>
    public static void Each(int count, int threads, Action<int> body)
    {
        if (count <= 0)
        {
            return;
        }

        if (threads <= 1 || count == 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => body(i));
    }
}
