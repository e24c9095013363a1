using System.Numerics.Tensors;

namespace Agora.Tensors;

/// <summary>Token embedding lookup (the table is tied with the output head in the model).</summary>
public static class Embedding
{
    /// <summary>tokens (N) → output (N,C) rows of table (V,C); throws ArgumentOutOfRangeException naming the bad token id.</summary>
    public static unsafe void Forward(ReadOnlySpan<int> tokens, ReadOnlySpan<float> table, Span<float> output, int v, int c, int threads = 1)
    {
        LayerArgs.Embedding(tokens, table, output, v, c, nameof(output));
        Check.Threads(threads);
        fixed (int* pt = tokens)
        fixed (float* ptab = table, po = output)
        {
            nint it = (nint)pt, itab = (nint)ptab, io = (nint)po;
            Workers.For(tokens.Length, threads, (start, end) =>
            {
                for (int i = start; i < end; i++)
                {
                    int token = ((int*)it)[i];
                    new ReadOnlySpan<float>((float*)itab + (long)token * c, c).CopyTo(new Span<float>((float*)io + (long)i * c, c));
                }
            });
        }
    }

    /// <summary>dtable (V,C) += scatter of dout (N,C). Threads split the C columns, so each element of dtable receives
    /// its contributions in token order whatever the thread count (additions are elementwise, so vector width is moot).</summary>
    public static unsafe void Backward(ReadOnlySpan<float> dout, ReadOnlySpan<int> tokens, Span<float> dtable, int v, int c, int threads = 1)
    {
        LayerArgs.Embedding(tokens, dtable, dout, v, c, nameof(dout));
        Check.Threads(threads);
        int n = tokens.Length;
        fixed (int* pt = tokens)
        fixed (float* pd = dout, ptab = dtable)
        {
            nint it = (nint)pt, id = (nint)pd, itab = (nint)ptab;
            Workers.For(c, threads, (start, end) =>
            {
                int* tok = (int*)it;
                for (int i = 0; i < n; i++)
                {
                    var src = new ReadOnlySpan<float>((float*)id + (long)i * c + start, end - start);
                    var dst = new Span<float>((float*)itab + (long)tok[i] * c + start, end - start);
                    TensorPrimitives.Add(dst, src, dst);
                }
            });
        }
    }
}
