namespace Agora.Gauntlet.Acceptance;

/// <summary>
/// What a miner put forward for a window: the payload bytes fetched from its artifact store, the digest it committed
/// on the ledger and the block of that commitment, and the sample of its parameters for the sync check
/// (the values of θ at <see cref="Scoring.SyncScore.SampleIndices"/>).
/// </summary>
public sealed record PayloadSubmission(uint Uid, byte[]? Payload, byte[]? CommittedDigest, long CommitBlock, float[]? ParameterSample = null);
