using System.Numerics;
using System.Runtime.InteropServices;

namespace Agora.SparseLoCo.Codec;

/// <summary>One peer's compressor: it owns the error-feedback buffer e (starts at 0) and turns each window's
/// pseudo-gradient Δ into a compressed update: a ← β·e + Δ; keep top-k |a| per chunk; 2-bit quantize per tensor;
/// e ← a − decode(sent) (so both the unsent entries and the quantization error are fed back).</summary>
public sealed class ErrorFeedbackCompressor
{
    private readonly float[] _error; // (P)
    private readonly ulong[] _heap = new ulong[ChunkGrid.ReferenceChunkSize];

    /// <summary>The largest |β·e + Δ| the compressor accepts; anything larger means training diverged.</summary>
    public const float MaxAccumulated = 4000f;

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
        RequireEncodable(_error, delta, Settings.Beta);

        // e becomes a in place (no second 4·P-byte buffer), then a − decode(sent) tensor by tensor.
        Accumulate(_error, delta, Settings.Beta);
        var tensors = new CompressedTensor[Layout.Count];
        for (var t = 0; t < Layout.Count; t++)
        {
            tensors[t] = CompressTensor(t, Layout.Slice(_error.AsSpan(), t));
        }

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

    /// <summary>e ← β·e + Δ, elementwise in float (no fused multiply-add, so every CPU rounds alike).</summary>
    private static void Accumulate(Span<float> error, ReadOnlySpan<float> delta, float beta)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b = new Vector<float>(beta);
            var errorVectors = MemoryMarshal.Cast<float, Vector<float>>(error);
            var deltaVectors = MemoryMarshal.Cast<float, Vector<float>>(delta);
            for (var v = 0; v < errorVectors.Length; v++)
            {
                errorVectors[v] = (b * errorVectors[v]) + deltaVectors[v];
            }

            i = errorVectors.Length * Vector<float>.Count;
        }

        for (; i < error.Length; i++)
        {
            error[i] = (beta * error[i]) + delta[i];
        }
    }

    /// <summary>Checks, before anything changes, that every entry of a = β·e + Δ is finite and at most
    /// <see cref="MaxAccumulated"/> in magnitude, which keeps every tensor's shift and scale inside the wire format's limits
    /// (|mean| ≤ max|a| and 1.5σ ≤ 1.5·√2·max|a| &lt; 1e4). Throws naming the first offending entry.</summary>
    private static void RequireEncodable(ReadOnlySpan<float> error, ReadOnlySpan<float> delta, float beta)
    {
        var ok = true;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b = new Vector<float>(beta);
            var limit = new Vector<float>(MaxAccumulated);
            var errorVectors = MemoryMarshal.Cast<float, Vector<float>>(error);
            var deltaVectors = MemoryMarshal.Cast<float, Vector<float>>(delta);
            for (var v = 0; v < errorVectors.Length && ok; v++)
            {
                ok = Vector.LessThanOrEqualAll(Vector.Abs((b * errorVectors[v]) + deltaVectors[v]), limit); // false for NaN too
            }

            i = errorVectors.Length * Vector<float>.Count;
        }

        for (; i < error.Length && ok; i++)
        {
            ok = Math.Abs((beta * error[i]) + delta[i]) <= MaxAccumulated;
        }

        if (ok)
        {
            return;
        }

        for (var j = 0; j < error.Length; j++)
        {
            var a = (beta * error[j]) + delta[j];
            if (!(Math.Abs(a) <= MaxAccumulated))
            {
                var what = float.IsFinite(delta[j]) ? $"the accumulated update is {a:G4}, beyond ±{MaxAccumulated:G}" : $"the pseudo-gradient is {delta[j]}";
                throw new ArgumentException($"At flat index {j} {what}; training diverged and nothing was encoded.");
            }
        }
    }
}
