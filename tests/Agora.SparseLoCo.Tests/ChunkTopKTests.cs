using Agora.SparseLoCo.Codec;

namespace Agora.SparseLoCo.Tests;

public class ChunkTopKTests
{
    private static ushort[] Reference(float[] tensor, ChunkGrid grid, int chunk, int k)
    {
        var origin = grid.ChunkOrigin(chunk);
        return Enumerable.Range(0, grid.ChunkSize)
            .OrderByDescending(local => Math.Abs(tensor[grid.ElementOffset(origin, local)]))
            .ThenBy(local => local)
            .Take(k)
            .Order()
            .Select(local => (ushort)local)
            .ToArray();
    }

    [Theory]
    [InlineData(64, 64, 64, 1)]
    [InlineData(128, 64, 64, 2)]
    [InlineData(12, 10, 7, 3)]
    [InlineData(5, 3, 15, 4)]
    [InlineData(1, 64, 1, 5)]
    [InlineData(64, 64, 4096, 6)]
    public void Selection_matches_a_sort_by_magnitude_then_index(int rows, int cols, int k, int seed)
    {
        var tensor = TestLayouts.Gaussian(rows * cols, seed);
        var grid = ChunkGrid.For(new TensorShape("m", rows, cols));
        var heap = new ulong[4096];
        for (var chunk = 0; chunk < grid.ChunkCount; chunk++)
        {
            var selected = new ushort[k];
            ChunkTopK.Select(tensor, grid, grid.ChunkOrigin(chunk), heap, selected);
            Assert.Equal(Reference(tensor, grid, chunk, k), selected);
        }
    }

    [Fact]
    public void Ties_go_to_the_lower_index()
    {
        var tensor = new float[64];
        tensor[5] = -1f;
        tensor[9] = 1f;
        tensor[20] = 1f;
        tensor[40] = 0.5f;
        tensor[41] = -0.5f;
        var grid = ChunkGrid.For(new TensorShape("v", 64));
        var selected = new ushort[4];
        ChunkTopK.Select(tensor, grid, 0, new ulong[64], selected);
        Assert.Equal(new ushort[] { 5, 9, 20, 40 }, selected);
    }

    [Fact]
    public void An_all_zero_chunk_keeps_the_first_k_indices()
    {
        var grid = ChunkGrid.For(new TensorShape("m", 64, 64));
        var selected = new ushort[3];
        ChunkTopK.Select(new float[4096], grid, 0, new ulong[3], selected);
        Assert.Equal(new ushort[] { 0, 1, 2 }, selected);
    }

    [Theory]
    [InlineData(64, 64, 64)]
    [InlineData(64, 43, 43)]
    [InlineData(16, 64, 9)]
    public void Heavily_tied_chunks_match_the_reference_whether_or_not_the_row_maxima_bound_applies(int rows, int cols, int k)
    {
        var random = new Random(rows + cols + k);
        var tensor = Enumerable.Range(0, rows * cols).Select(_ => (float)(random.Next(7) - 3)).ToArray();
        var grid = ChunkGrid.For(new TensorShape("m", rows, cols));
        var selected = new ushort[k];
        ChunkTopK.Select(tensor, grid, 0, new ulong[4096], selected);
        Assert.Equal(Reference(tensor, grid, 0, k), selected);
    }
}
