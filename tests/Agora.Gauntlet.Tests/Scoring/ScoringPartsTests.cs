using Agora.Gauntlet.Scoring;

namespace Agora.Gauntlet.Tests.Scoring;

public sealed class ScoringPartsTests
{
    [Fact]
    public void Identical_and_rescaled_updates_overlap_completely_and_independent_ones_barely()
    {
        var a = TestPayloads.Update(1);
        Assert.Equal(1.0, CopyDetector.Overlap(a, a));
        Assert.Equal(1.0, CopyDetector.Overlap(a, TestPayloads.Rescale(a, 2f)));
        Assert.True(CopyDetector.Overlap(a, TestPayloads.Update(2)) < 0.2);
    }

    [Fact]
    public void The_later_committer_of_an_overlapping_pair_is_the_copier()
    {
        var a = TestPayloads.Update(1);
        var findings = CopyDetector.Find([(1u, 50L, a), (2u, 40L, TestPayloads.Rescale(a, 1.1f)), (3u, 45L, TestPayloads.Update(3))], 0.4);
        CopyFinding only = Assert.Single(findings);
        Assert.Equal(1u, only.Copier);
        Assert.Equal(2u, only.Original);
    }

    [Fact]
    public void Sampling_prefers_the_least_recently_evaluated_and_is_deterministic()
    {
        var last = new Dictionary<uint, long> { [0] = 7, [1] = -1, [2] = 3, [3] = 7, [4] = 5 };
        uint[] sample = MinerSampler.Sample([0, 1, 2, 3, 4], uid => last[uid], window: 8, count: 3);
        Assert.Equal([1u, 2u, 4u], sample);
        Assert.Equal(sample, MinerSampler.Sample([4, 3, 2, 1, 0], uid => last[uid], window: 8, count: 3));
    }

    [Fact]
    public void Sampling_breaks_ties_differently_in_different_windows()
    {
        uint[] uids = [.. Enumerable.Range(0, 40).Select(i => (uint)i)];
        var picks = Enumerable.Range(0, 6).Select(w => string.Join(",", MinerSampler.Sample(uids, _ => -1, (ulong)w, 5))).Distinct().Count();
        Assert.True(picks > 1);
    }

    [Fact]
    public void Weights_follow_a_linear_profile_over_the_best_positive_finals()
    {
        UidWeight[] weights = WeightProfile.Compute([(1, 5.0), (2, 9.0), (3, -1.0), (4, 0.0), (5, 7.0)], count: 16);
        Assert.Equal([1u, 2u, 5u], weights.Select(w => w.Uid));
        Assert.Equal(65535, weights.Single(w => w.Uid == 2).Weight);
        Assert.Equal(Math.Round(65535 * 2.0 / 3), weights.Single(w => w.Uid == 5).Weight);
        Assert.Equal(Math.Round(65535 / 3.0), weights.Single(w => w.Uid == 1).Weight);
        Assert.Single(WeightProfile.Compute([(1, 5.0), (2, 9.0)], count: 1));
    }

    [Fact]
    public void Sync_score_is_one_in_step_and_zero_three_steps_away()
    {
        Assert.Equal(1.0, SyncScore.FromDistance(0, 3, 2.5));
        Assert.Equal(0.0, SyncScore.FromDistance(3, 3, 2.5));
        Assert.Equal(0.0, SyncScore.FromDistance(10, 3, 2.5));
        Assert.Equal(Math.Pow(2.0 / 3, 2.5), SyncScore.FromDistance(1, 3, 2.5), 12);

        float[] theta = [1, 2, 3, 4];
        float[] step = [0.5f, 0.5f, 0.5f, 0.5f];
        Assert.Equal(0.0, SyncScore.Distance([1, 3], theta, step, [0, 2], 3));
        Assert.Equal(2.0, SyncScore.Distance([2, 4], theta, step, [0, 2], 3), 12);
        Assert.Equal(3.0, SyncScore.Distance([float.NaN, 3], theta, step, [0, 2], 3));
    }

    [Fact]
    public void Sync_sample_indices_depend_only_on_the_window()
    {
        Assert.Equal(SyncScore.SampleIndices(4, 1000, 16), SyncScore.SampleIndices(4, 1000, 16));
        Assert.NotEqual(SyncScore.SampleIndices(4, 1000, 16), SyncScore.SampleIndices(5, 1000, 16));
        Assert.All(SyncScore.SampleIndices(4, 1000, 16), i => Assert.InRange(i, 0, 999));
    }
}
