using Agora.SparseLoCo.Codec;

namespace Agora.SparseLoCo.Tests;

public class ErrorFeedbackCompressorTests
{
    [Fact]
    public void Error_buffer_holds_the_accumulated_update_minus_what_was_sent()
    {
        var layout = TestLayouts.Mixed();
        var compressor = new ErrorFeedbackCompressor(layout);
        var first = TestLayouts.Gaussian(layout.TotalElements, 1, 0.01f);
        var second = TestLayouts.Gaussian(layout.TotalElements, 2, 0.01f);

        var sent1 = compressor.Compress(first).ToDense();
        var e1 = compressor.Error.ToArray();
        for (var i = 0; i < e1.Length; i++)
        {
            Assert.Equal(first[i] - sent1[i], e1[i]);
        }

        var sent2 = compressor.Compress(second).ToDense();
        var e2 = compressor.Error.ToArray();
        for (var i = 0; i < e2.Length; i++)
        {
            var a = (0.95f * e1[i]) + second[i];
            Assert.Equal(a - sent2[i], e2[i]);
        }
    }

    [Fact]
    public void Exactly_k_entries_per_chunk_are_sent_and_they_are_the_largest_of_the_accumulated_update()
    {
        var layout = TestLayouts.Mixed();
        var compressor = new ErrorFeedbackCompressor(layout);
        var delta = TestLayouts.Gaussian(layout.TotalElements, 3);
        var update = compressor.Compress(delta);
        var embed = update.Tensors[0];
        Assert.Equal(64, embed.KeepPerChunk);
        Assert.Equal(2 * 64, embed.KeptCount);
        var grid = embed.Grid;
        var minKept = float.MaxValue;
        var kept = new HashSet<int>();
        for (var j = 0; j < 64; j++)
        {
            var offset = grid.ElementOffset(grid.ChunkOrigin(0), embed.Indices[j]);
            kept.Add(offset);
            minKept = Math.Min(minKept, Math.Abs(delta[offset]));
        }

        for (var local = 0; local < grid.ChunkSize; local++)
        {
            var offset = grid.ElementOffset(grid.ChunkOrigin(0), local);
            if (!kept.Contains(offset))
            {
                Assert.True(Math.Abs(delta[offset]) <= minKept);
            }
        }
    }

    [Fact]
    public void Unsent_entries_eventually_get_sent_through_error_feedback()
    {
        var layout = new TensorLayout([new TensorShape("v", 64)]);
        var compressor = new ErrorFeedbackCompressor(layout);
        var delta = new float[64];
        delta[0] = 1f;
        delta[1] = 0.9f;
        Assert.Equal(new ushort[] { 0 }, compressor.Compress(delta).Tensors[0].Indices);
        Assert.Equal(new ushort[] { 1 }, compressor.Compress(new float[64]).Tensors[0].Indices);
    }

    [Fact]
    public void A_non_finite_update_is_refused_and_leaves_the_error_buffer_unchanged()
    {
        var layout = TestLayouts.Small();
        var compressor = new ErrorFeedbackCompressor(layout);
        compressor.Compress(TestLayouts.Gaussian(layout.TotalElements, 4));
        var before = compressor.Error.ToArray();
        var bad = TestLayouts.Gaussian(layout.TotalElements, 5);
        bad[17] = float.PositiveInfinity;
        var error = Assert.Throws<ArgumentException>(() => compressor.Compress(bad));
        Assert.Contains("17", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, compressor.Error.ToArray());
    }

    [Fact]
    public void An_update_too_large_for_the_wire_format_is_refused_and_leaves_the_error_buffer_unchanged()
    {
        var layout = TestLayouts.Small();
        var compressor = new ErrorFeedbackCompressor(layout);
        compressor.Compress(TestLayouts.Gaussian(layout.TotalElements, 4));
        var before = compressor.Error.ToArray();
        var huge = TestLayouts.Gaussian(layout.TotalElements, 5);
        huge[100] = 5000f;
        var error = Assert.Throws<ArgumentException>(() => compressor.Compress(huge));
        Assert.Contains("100", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, compressor.Error.ToArray());
    }

    [Fact]
    public void Compression_is_deterministic()
    {
        var layout = TestLayouts.Mixed();
        var delta = TestLayouts.Gaussian(layout.TotalElements, 6);
        var a = new ErrorFeedbackCompressor(layout).Compress(delta).ToDense();
        var b = new ErrorFeedbackCompressor(layout).Compress(delta).ToDense();
        Assert.Equal(a, b);
    }
}
