using Agora.SparseLoCo.Aggregation;

namespace Agora.SparseLoCo.Tests.Adversarial;

/// <summary>Vectors from another peer (an aggregate, a checkpoint) that would poison θ are refused before they touch it.</summary>
[Trait("Category", "Adversarial")]
public sealed class StepGuardTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_aggregate_or_checkpoint_is_refused(float bad)
    {
        float[] v = [0.1f, bad, -0.2f];
        Assert.NotNull(StepGuard.RefuseStep(v, 1f));
        Assert.NotNull(StepGuard.RefuseCheckpoint(v, []));
        Assert.NotNull(StepGuard.RefuseCheckpoint(v, [0f, 0f, 0f]));
        Assert.NotNull(StepGuard.NonFinite(v));
    }

    [Fact]
    public void An_outer_step_over_the_bound_is_refused_and_one_within_it_is_not()
    {
        var limit = StepGuard.MaxStepPerCoordinate;
        Assert.Null(StepGuard.RefuseStep([limit, -limit, 0f], 1f));
        Assert.NotNull(StepGuard.RefuseStep([0f, limit * 1.01f], 1f));

        // The bound is on α·aggregate: a large aggregate with a small outer learning rate passes, and a float overflow does not.
        Assert.Null(StepGuard.RefuseStep([limit * 4], 0.25f));
        Assert.NotNull(StepGuard.RefuseStep([float.MaxValue], 4f));
    }

    [Fact]
    public void A_checkpoint_far_from_the_peers_theta_is_refused_but_a_joiner_with_no_theta_takes_any_finite_one()
    {
        var far = StepGuard.MaxCheckpointCorrection * 1.5f;
        Assert.NotNull(StepGuard.RefuseCheckpoint([0f, far], [0f, 0f]));
        Assert.Null(StepGuard.RefuseCheckpoint([0f, far], []));
        Assert.Null(StepGuard.RefuseCheckpoint([0.5f, -0.5f], [0f, 0f]));
        Assert.NotNull(StepGuard.RefuseCheckpoint([0f], [0f, 0f]));
    }
}
