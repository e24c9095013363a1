using System.Numerics;

namespace Agora.SparseLoCo.Codec;

/// <summary>One peer's compressor: it owns the error-feedback buffer e (starts at 0) and turns each window's
/// pseudo-gradient Δ into a compressed update: a ← β·e + Δ; keep top-k |a| per chunk; 2-bit quantize per tensor;
/// e ← a − decode(sent) (so both the unsent entries and the quantization error are fed back).</summary>
public sealed class ErrorFeedbackCompressor
{
    private readonly float[] _error; // (P)
    private readonly ulong[] _heap = new ulong[ChunkGrid.ReferenceChunkSize];

    public ErrorFeedbackCompressor(TensorLayout layout, CodecSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Settings = settings ?? CodecSettings.Default;
        Settings.Validate();
        Layout = layout;
        _error = new float[layout.TotalElements];
    }

    public TensorLayout Layout { get; }

    public CodecSettings Settings { get; }

    /// <summary>The error-feedback buffer e, laid out like the parameters. // (P)</summary>
    public ReadOnlySpan<float> Error => _error;

    /// <summary>Restores e (e.g. from a checkpoint).</summary>
    public void LoadError(ReadOnlySpan<float> error)
    {
        Layout.RequireFlatLength(error.Length, "The error buffer");
        error.CopyTo(_error);
    }

    /// <summary>Compresses Δ = θ − θ_local and updates e. Δ must be finite; on a non-finite Δ nothing changes.</summary>
    public CompressedUpdate Compress(ReadOnlySpan<float> delta)
    {
        Layout.RequireFlatLength(delta.Length, "The pseudo-gradient");
        RequireFinite(delta);
        var accumulated = new float[_error.Length]; // a, (P)
        Accumulate(_error, delta, Settings.Beta, accumulated);

        var tensors = new CompressedTensor[Layout.Count];
        for (var t = 0; t < Layout.Count; t++)
        {
            tensors[t] = CompressTensor(t, Layout.Slice(accumulated.AsSpan(), t));
        }

        accumulated.CopyTo(_error.AsSpan());
        return new CompressedUpdate(Layout, tensors);
    }

    /// <summary>Compresses one tensor's a in place: on return <paramref name="a"/> holds a − decode(sent).</summary>
    private CompressedTensor CompressTensor(int index, Span<float> a)
    {
        var grid = Layout.Grids[index];
        var k = grid.KeepPerChunk(Settings.KeepPer4096);
        var indices = new ushort[grid.ChunkCount * k];
        var kept = new float[indices.Length];
        for (var chunk = 0; chunk < grid.ChunkCount; chunk++)
        {
            var origin = grid.ChunkOrigin(chunk);
            var selected = indices.AsSpan(chunk * k, k);
            ChunkTopK.Select(a, grid, origin, _heap, selected);
            for (var j = 0; j < k; j++)
            {
                kept[(chunk * k) + j] = a[grid.ElementOffset(origin, selected[j])];
            }
        }

        var codes = new byte[indices.Length];
        var quantization = TwoBitQuantizer.Quantize(kept, codes);
        var table = quantization.Table;
        for (var chunk = 0; chunk < grid.ChunkCount; chunk++)
        {
            var origin = grid.ChunkOrigin(chunk);
            for (var j = chunk * k; j < (chunk + 1) * k; j++)
            {
                var offset = grid.ElementOffset(origin, indices[j]);
                a[offset] -= table[codes[j]];
            }
        }

        return new CompressedTensor(index, grid, k, quantization, indices, codes);
    }

    private static void Accumulate(ReadOnlySpan<float> error, ReadOnlySpan<float> delta, float beta, Span<float> a)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b = new Vector<float>(beta);
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                ((b * new Vector<float>(error[i..])) + new Vector<float>(delta[i..])).CopyTo(a[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            a[i] = (beta * error[i]) + delta[i];
        }
    }

    private static void RequireFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException($"The pseudo-gradient holds a non-finite value at flat index {i}; training diverged and nothing was encoded.");
            }
        }
    }
}
