namespace Agora.SparseLoCo.Experiments;

/// <summary>One method after one round: cumulative tokens (all peers) and bytes sent per peer, the mean inner training loss
/// of the round (NaN for round 0, the starting point) and the held-out loss of the global weights.</summary>
public sealed record RoundRecord(string Method, int Round, long Tokens, long BytesPerPeer, double TrainLoss, double HeldOutLoss, double Seconds);
