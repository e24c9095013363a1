using Agora.SparseLoCo.Wire;

namespace Agora.Gauntlet.Acceptance;

/// <summary>The verdict on one miner's payload: accepted with its decoded content, or rejected with a reason and a message.</summary>
public sealed record AcceptanceResult(uint Uid, RejectionReason Reason, string Message, DecodedPayload? Payload, long CommitBlock)
{
    public bool Accepted => Reason == RejectionReason.None;
}
