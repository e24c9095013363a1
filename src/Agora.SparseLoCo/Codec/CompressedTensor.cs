namespace Agora.SparseLoCo.Codec;

/// <summary>The kept entries of one tensor: k local indices per chunk (ascending within the chunk, chunks in order) and one
/// 2-bit code per kept entry, decoded through the tensor's 4-entry table.</summary>
public sealed class CompressedTensor
{
    public CompressedTensor(int tensorIndex, ChunkGrid grid, int keepPerChunk, QuantizationParams quantization, ushort[] indices, byte[] codes)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(codes);
        if ((long)grid.ChunkCount * keepPerChunk != indices.Length || indices.Length != codes.Length)
        {
            throw new ArgumentException($"Tensor {tensorIndex}: {indices.Length} indices and {codes.Length} codes, expected {grid.ChunkCount} chunks × {keepPerChunk}.");
        }

        TensorIndex = tensorIndex;
        Grid = grid;
        KeepPerChunk = keepPerChunk;
        Quantization = quantization;
        Indices = indices;
        Codes = codes;
    }

    public int TensorIndex { get; }

    public ChunkGrid Grid { get; }

    public int KeepPerChunk { get; }

    public QuantizationParams Quantization { get; }

    /// <summary>Local indices within each chunk, chunk after chunk. // (chunks, k)</summary>
    public ushort[] Indices { get; }

    /// <summary>2-bit codes (0..3), one byte each in memory; the wire packs four per byte. // (chunks, k)</summary>
    public byte[] Codes { get; }

    public int KeptCount => Indices.Length;

    /// <summary>Adds scale·decode(entry) into the tensor's dense slice.</summary>
    public void AccumulateInto(Span<float> dense, float scale = 1f)
    {
        var k = KeepPerChunk;
        var table = Quantization.Table;
        for (var chunk = 0; chunk < Grid.ChunkCount; chunk++)
        {
            var origin = Grid.ChunkOrigin(chunk);
            for (var j = chunk * k; j < (chunk + 1) * k; j++)
            {
                dense[Grid.ElementOffset(origin, Indices[j])] += scale * table[Codes[j]];
            }
        }
    }

    /// <summary>‖decode(this)‖₂, summed in double in payload order.</summary>
    public double Norm()
    {
        var table = Quantization.Table;
        double sum = 0;
        foreach (var code in Codes)
        {
            sum += (double)table[code] * table[code];
        }

        return Math.Sqrt(sum);
    }
}
