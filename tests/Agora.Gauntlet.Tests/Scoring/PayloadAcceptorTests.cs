using Agora.Gauntlet.Acceptance;

namespace Agora.Gauntlet.Tests.Scoring;

public sealed class PayloadAcceptorTests
{
    private static readonly PayloadAcceptor Acceptor = new(TestPayloads.Expectation);
    private static readonly WindowInfo Window = new(5, DeadlineBlock: 100, EvaluationSeed: [1, 2, 3]);

    [Fact]
    public void A_well_formed_signed_payload_committed_in_time_is_accepted()
    {
        AcceptanceResult result = Acceptor.Check(TestPayloads.Miner(3), TestPayloads.Submit(3, 5, TestPayloads.Update(1)), Window);
        Assert.True(result.Accepted, result.Message);
        Assert.NotNull(result.Payload);
    }

    [Fact]
    public void No_submission_is_missing()
    {
        Assert.Equal(RejectionReason.Missing, Acceptor.Check(TestPayloads.Miner(3), null, Window).Reason);
    }

    [Fact]
    public void A_commitment_after_the_deadline_is_late()
    {
        AcceptanceResult result = Acceptor.Check(TestPayloads.Miner(3), TestPayloads.Submit(3, 5, TestPayloads.Update(1), block: 101), Window);
        Assert.Equal(RejectionReason.Late, result.Reason);
        Assert.Contains("deadline", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_that_differs_from_the_commitment_is_rejected()
    {
        PayloadSubmission s = TestPayloads.Submit(3, 5, TestPayloads.Update(1));
        Assert.Equal(RejectionReason.CommitmentMismatch, Acceptor.Check(TestPayloads.Miner(3), s with { CommittedDigest = new byte[32] }, Window).Reason);
    }

    [Fact]
    public void A_payload_signed_by_another_hotkey_is_rejected()
    {
        PayloadSubmission s = TestPayloads.Submit(3, 5, TestPayloads.Update(1), signer: TestPayloads.Key(9));
        Assert.Equal(RejectionReason.BadSignature, Acceptor.Check(TestPayloads.Miner(3), s, Window).Reason);
    }

    [Fact]
    public void An_oversized_payload_is_rejected()
    {
        PayloadSubmission s = TestPayloads.Submit(3, 5, TestPayloads.Update(1));
        PayloadSubmission padded = s with { Payload = [.. s.Payload!, 0] };
        Assert.Equal(RejectionReason.Oversized, Acceptor.Check(TestPayloads.Miner(3), padded, Window).Reason);
    }

    [Fact]
    public void A_huge_scale_is_rejected_as_out_of_range()
    {
        PayloadSubmission s = TestPayloads.Submit(3, 5, TestPayloads.Rescale(TestPayloads.Update(1), 1e9f));
        Assert.Equal(RejectionReason.ScaleOutOfRange, Acceptor.Check(TestPayloads.Miner(3), s, Window).Reason);
    }

    [Fact]
    public void Nan_quantization_is_rejected_as_non_finite()
    {
        PayloadSubmission s = TestPayloads.Submit(3, 5, TestPayloads.Rescale(TestPayloads.Update(1), float.NaN));
        Assert.Equal(RejectionReason.NonFinite, Acceptor.Check(TestPayloads.Miner(3), s, Window).Reason);
    }

    [Fact]
    public void A_payload_for_another_window_is_rejected()
    {
        PayloadSubmission s = TestPayloads.Submit(3, 4, TestPayloads.Update(1));
        Assert.Equal(RejectionReason.WrongWindowOrUid, Acceptor.Check(TestPayloads.Miner(3), s, Window).Reason);
    }

    [Fact]
    public void Truncated_bytes_are_rejected_as_malformed_without_throwing()
    {
        PayloadSubmission s = TestPayloads.Submit(3, 5, TestPayloads.Update(1));
        AcceptanceResult result = Acceptor.Check(TestPayloads.Miner(3), s with { Payload = s.Payload![..100] }, Window);
        Assert.False(result.Accepted);
        Assert.Equal(RejectionReason.Malformed, result.Reason);
    }

    [Fact]
    public void Persisted_reason_values_never_change()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], Enum.GetValues<RejectionReason>().Select(r => (int)r));
        Assert.Equal(2, (int)RejectionReason.Late);
        Assert.Equal(9, (int)RejectionReason.ScaleOutOfRange);
    }
}
