namespace Agora.SparseLoCo;

/// <summary>How one tensor is cut into chunks. A matrix (R, C) is cut into blocks of cr × cc where cr is the largest
/// divisor of R that is ≤ 64 and cc the largest divisor of C that is ≤ 64; a vector of n is viewed as (1, n) and cut into
/// runs of the largest divisor of n that is ≤ 64. Blocks are numbered row-major over the block grid; inside a block,
/// entry (r, c) has local index r·cc + c, so a chunk has at most 4096 entries and a local index fits in 12 bits.</summary>
public sealed record ChunkGrid(int Rows, int Cols, int ChunkRows, int ChunkCols)
{
    public const int MaxChunkSide = 64;

    /// <summary>The reference chunk size in which "k per chunk" is quoted: k = 64 of 4096 entries.</summary>
    public const int ReferenceChunkSize = MaxChunkSide * MaxChunkSide;

    public int ChunkSize => ChunkRows * ChunkCols;

    public int BlockRows => Rows / ChunkRows;

    public int BlockCols => Cols / ChunkCols;

    public int ChunkCount => BlockRows * BlockCols;

    public long ElementCount => (long)Rows * Cols;

    public static ChunkGrid For(TensorShape tensor) => tensor.Rank == 1
        ? new ChunkGrid(1, tensor.Shape[0], 1, LargestDivisorAtMost64(tensor.Shape[0]))
        : new ChunkGrid(tensor.Shape[0], tensor.Shape[1], LargestDivisorAtMost64(tensor.Shape[0]), LargestDivisorAtMost64(tensor.Shape[1]));

    public static int LargestDivisorAtMost64(int n)
    {
        for (var d = Math.Min(n, MaxChunkSide); d > 1; d--)
        {
            if (n % d == 0)
            {
                return d;
            }
        }

        return 1;
    }

    /// <summary>Entries kept per chunk: k scales with the chunk size, k = ⌊keepPer4096 · size / 4096⌋, at least 1 and at
    /// most the chunk size. For 64×64 blocks this is exactly keepPer4096; for a 64-entry vector chunk at the default 64 it is 1.</summary>
    public int KeepPerChunk(int keepPer4096) => Math.Clamp((int)((long)keepPer4096 * ChunkSize / ReferenceChunkSize), 1, ChunkSize);

    /// <summary>Offset in the tensor's row-major storage of the first entry of chunk <paramref name="chunk"/>.</summary>
    public int ChunkOrigin(int chunk) => (chunk / BlockCols) * ChunkRows * Cols + (chunk % BlockCols) * ChunkCols;

    /// <summary>Offset in the tensor's row-major storage of local entry <paramref name="local"/> of the chunk at <paramref name="origin"/>.</summary>
    public int ElementOffset(int origin, int local) => origin + (local / ChunkCols) * Cols + (local % ChunkCols);
}
