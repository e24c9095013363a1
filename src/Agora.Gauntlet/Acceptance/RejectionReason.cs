namespace Agora.Gauntlet.Acceptance;

/// <summary>Why a miner's payload did not count this window. Values are persisted in reports and must never change.</summary>
public enum RejectionReason
{
    None = 0,
    Missing = 1,
    Late = 2,
    CommitmentMismatch = 3,
    BadSignature = 4,
    Oversized = 5,
    WrongShape = 6,
    BadIndices = 7,
    NonFinite = 8,
    ScaleOutOfRange = 9,
    Malformed = 10,
    WrongWindowOrUid = 11,
}
