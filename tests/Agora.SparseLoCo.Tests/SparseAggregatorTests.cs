using Agora.SparseLoCo.Aggregation;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Tests;

public class SparseAggregatorTests
{
    private static CompressedUpdate Update(TensorLayout layout, int seed, float std) =>
        new ErrorFeedbackCompressor(layout).Compress(TestLayouts.Gaussian(layout.TotalElements, seed, std));

    [Fact]
    public void Each_coordinate_is_the_mean_over_the_peers_that_sent_it()
    {
        var layout = new TensorLayout([new TensorShape("v", 4)]);
        var settings = new CodecSettings { KeepPer4096 = 1024 };
        var a = new ErrorFeedbackCompressor(layout, settings).Compress([2f, 0f, 0f, 0f]); // sends index 0 only
        var b = new ErrorFeedbackCompressor(layout, settings).Compress([0f, 0f, 0f, 2f]); // sends index 3 only
        var c = new ErrorFeedbackCompressor(layout, settings).Compress([4f, 0f, 0f, 0f]);
        var aggregate = new SparseAggregator(layout).Aggregate([a, b, c]);
        // norms 2, 2, 4 → median 2, so c is scaled by 1/2: coordinate 0 = (2 + 2)/2, coordinate 3 = 2/1.
        Assert.Equal(new[] { 2f, 0f, 0f, 2f }, aggregate);
    }

    [Fact]
    public void Peers_above_the_median_norm_are_scaled_down_to_it_and_others_are_left_alone()
    {
        var layout = TestLayouts.Mixed();
        var updates = new[] { Update(layout, 1, 0.01f), Update(layout, 2, 0.02f), Update(layout, 3, 0.5f) };
        var factors = new SparseAggregator(layout).ClipFactors(updates);
        for (var t = 0; t < layout.Count; t++)
        {
            var norms = updates.Select(u => u.Tensors[t].Norm()).ToArray();
            var median = SparseAggregator.Median(norms);
            Assert.Equal(1.0, factors[0][t]);
            Assert.Equal(median, norms[1]);
            Assert.Equal(1.0, factors[1][t]);
            Assert.Equal(median / norms[2], factors[2][t], 12);
            Assert.True(factors[2][t] < 0.2);
        }
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two() =>
        Assert.Equal(2.5, SparseAggregator.Median([4, 1, 2, 3]));

    [Fact]
    public void Aggregates_are_bit_identical_for_any_thread_count()
    {
        var layout = TestLayouts.Mixed();
        var updates = Enumerable.Range(0, 5).Select(p => Update(layout, 10 + p, 0.01f * (p + 1))).ToArray();
        var theta1 = TestLayouts.Gaussian(layout.TotalElements, 99);
        var theta4 = (float[])theta1.Clone();
        SparseAggregator.ApplyOuterStep(theta1, new SparseAggregator(layout, threads: 1).Aggregate(updates));
        SparseAggregator.ApplyOuterStep(theta4, new SparseAggregator(layout, threads: 4).Aggregate(updates));
        Assert.Equal(
            theta1.Select(BitConverter.SingleToUInt32Bits),
            theta4.Select(BitConverter.SingleToUInt32Bits));
        Assert.NotEqual(TestLayouts.Gaussian(layout.TotalElements, 99), theta1);
    }

    [Fact]
    public void The_outer_step_subtracts_alpha_times_the_aggregate()
    {
        var theta = new[] { 1f, 2f, 3f };
        SparseAggregator.ApplyOuterStep(theta, [0.5f, 0f, -1f], 2f);
        Assert.Equal(new[] { 0f, 2f, 5f }, theta);
    }

    [Fact]
    public void Decoded_payloads_out_of_uid_order_are_refused()
    {
        var layout = TestLayouts.Small();
        var expectation = new PayloadExpectation(layout, TestLayouts.ConfigHash(layout));
        var p2 = PayloadDecoder.Decode(TestLayouts.EncodedPayload(layout, 1, 2, 0), expectation, TestLayouts.Key(2).PublicKey);
        var p1 = PayloadDecoder.Decode(TestLayouts.EncodedPayload(layout, 2, 1, 0), expectation, TestLayouts.Key(1).PublicKey);
        var aggregator = new SparseAggregator(layout);
        Assert.Throws<ArgumentException>(() => aggregator.Aggregate([p2, p1]));
        Assert.Equal(aggregator.Aggregate([p1.Update, p2.Update]), aggregator.Aggregate([p1, p2]));
    }

    [Fact]
    public void No_payloads_give_a_zero_aggregate() =>
        Assert.All(new SparseAggregator(TestLayouts.Small()).Aggregate(Array.Empty<CompressedUpdate>()), v => Assert.Equal(0f, v));
}
