using Agora.Gauntlet.Acceptance;
using Agora.Gauntlet.OpenSkill;
using Agora.SparseLoCo.Wire;

namespace Agora.Gauntlet.Scoring;

/// <summary>One miner's outcome in a window.</summary>
public sealed record MinerWindowResult(
    uint Uid,
    RejectionReason Reason,
    string Message,
    bool Sampled,
    double? GradientScore,
    int? Indicator,
    double Bma,
    Rating Rating,
    double Sync,
    double Penalty,
    double Final,
    ushort Weight,
    double WeightShare,
    CopyFinding? Copy)
{
    public double Ordinal => Rating.Ordinal();
}

/// <summary>Everything a validator decided in a window, in UID order; <see cref="Selection"/> is what peers aggregate.</summary>
public sealed record WindowReport(
    ulong Window,
    double RandomLossBefore,
    IReadOnlyList<MinerWindowResult> Miners,
    IReadOnlyList<UidWeight> Weights,
    IReadOnlyList<DecodedPayload> Selection);
