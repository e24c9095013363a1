namespace Agora.SparseLoCo.Tests;

public class ChunkGridTests
{
    [Theory]
    [InlineData(64, 64)]
    [InlineData(128, 64)]
    [InlineData(4096, 64)]
    [InlineData(688, 43)]
    [InlineData(12, 12)]
    [InlineData(100, 50)]
    [InlineData(7, 7)]
    [InlineData(67, 1)]
    [InlineData(1, 1)]
    public void Largest_divisor_at_most_64_is_found(int n, int expected) =>
        Assert.Equal(expected, ChunkGrid.LargestDivisorAtMost64(n));

    [Fact]
    public void Matrix_chunks_use_a_separate_divisor_for_rows_and_columns()
    {
        var grid = ChunkGrid.For(new TensorShape("m", 192, 688));
        Assert.Equal((64, 43), (grid.ChunkRows, grid.ChunkCols));
        Assert.Equal(3 * 16, grid.ChunkCount);
    }

    [Fact]
    public void Vector_chunks_are_runs_of_the_largest_divisor_at_most_64()
    {
        var grid = ChunkGrid.For(new TensorShape("v", 200));
        Assert.Equal((1, 50, 4), (grid.ChunkRows, grid.ChunkCols, grid.ChunkCount));
    }

    [Theory]
    [InlineData(64, 64, 64, 64)]
    [InlineData(64, 43, 64, 43)]
    [InlineData(1, 64, 64, 1)]
    [InlineData(1, 7, 64, 1)]
    [InlineData(12, 10, 64, 1)]
    [InlineData(64, 64, 128, 128)]
    [InlineData(1, 64, 4096, 64)]
    [InlineData(64, 64, 1, 1)]
    public void Keep_per_chunk_scales_with_chunk_size_and_is_at_least_one(int chunkRows, int chunkCols, int keepPer4096, int expected)
    {
        var grid = new ChunkGrid(chunkRows, chunkCols, chunkRows, chunkCols);
        Assert.Equal(expected, grid.KeepPerChunk(keepPer4096));
    }

    [Fact]
    public void Chunk_offsets_cover_every_element_exactly_once()
    {
        var grid = ChunkGrid.For(new TensorShape("m", 12, 10));
        var seen = new int[120];
        for (var chunk = 0; chunk < grid.ChunkCount; chunk++)
        {
            var origin = grid.ChunkOrigin(chunk);
            for (var local = 0; local < grid.ChunkSize; local++)
            {
                seen[grid.ElementOffset(origin, local)]++;
            }
        }

        Assert.All(seen, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Tensors_of_rank_three_are_rejected() =>
        Assert.Throws<ArgumentException>(() => new TensorShape("t", 2, 3, 4));
}
