using Agora.Core.Serialization;

namespace Agora.Ledger.State;

/// <summary>Chain-wide parameters (genesis values; changed only by governance within <see cref="Bounds"/>).</summary>
public sealed record GlobalParameters
{
    public const ulong Tao = 1_000_000_000;

    public ulong MaxSubnets { get; init; } = 128;
    public ulong MinLockCost { get; init; } = 1_000 * Tao;
    public ulong LockReductionInterval { get; init; } = 57_600;
    public ulong SubnetImmunityBlocks { get; init; } = 7 * 7_200;
    public ulong GovernanceVotingPeriod { get; init; } = 7 * 7_200;
    public ulong GovernanceTimelock { get; init; } = 7 * 7_200;
    public ulong OwnershipMinAge { get; init; } = 365 * 7_200;

    /// <summary>
    /// Minimum fee per transaction, rao. 0.001 TAO: a full block (10,000 transactions, up to ~10 MB of
    /// commitments) costs 10 TAO, ten times a block's emission at the start of the halving schedule, while a role
    /// sending a few transactions per training window pays a negligible share of what it earns. The devnet's
    /// genesis sets its own value; roles and the CLI read the current minimum from the chain and pay it.
    /// </summary>
    public ulong MinTxFee { get; init; } = 1_000_000;

    /// <summary>TAO a proposer escrows: returned when the proposal reaches quorum, burned otherwise.</summary>
    public ulong ProposalBond { get; init; } = 100 * Tao;

    /// <summary>
    /// Blocks that must pass between two changes of one hotkey's artifact commitment on a subnet (re-posting the
    /// same bytes is a no-op and always allowed). 3 fits inside the gap between two honest miner commitments, which
    /// is at least window − deadline blocks (devnet 20 − 14 = 6; the test harness 10 − 7 = 3).
    /// </summary>
    public ulong CommitmentRateLimit { get; init; } = 3;

    public static readonly IReadOnlyList<GlobalParameter> All = Enum.GetValues<GlobalParameter>();

    public static (ulong Min, ulong Max) Bounds(GlobalParameter p) => p switch
    {
        GlobalParameter.MaxSubnets => (1, 1_024),
        GlobalParameter.MinLockCost => (1, 1_000_000 * Tao),
        GlobalParameter.LockReductionInterval => (1, 10_000_000),
        GlobalParameter.SubnetImmunityBlocks => (0, 10_000_000),
        GlobalParameter.GovernanceVotingPeriod => (1, 1_000_000),
        GlobalParameter.GovernanceTimelock => (1, 1_000_000),
        GlobalParameter.OwnershipMinAge => (0, 100_000_000),
        GlobalParameter.MinTxFee => (0, Tao),
        GlobalParameter.ProposalBond => (1, 1_000_000 * Tao),
        GlobalParameter.CommitmentRateLimit => (0, 7_200),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown global parameter."),
    };

    public static string? Check(GlobalParameter p, ulong value)
    {
        if (!Enum.IsDefined(p))
        {
            return $"Unknown global parameter {(byte)p}.";
        }

        var (min, max) = Bounds(p);
        return value < min || value > max ? $"{p} = {value} is outside [{min}, {max}]." : null;
    }

    public ulong Get(GlobalParameter p) => p switch
    {
        GlobalParameter.MaxSubnets => MaxSubnets,
        GlobalParameter.MinLockCost => MinLockCost,
        GlobalParameter.LockReductionInterval => LockReductionInterval,
        GlobalParameter.SubnetImmunityBlocks => SubnetImmunityBlocks,
        GlobalParameter.GovernanceVotingPeriod => GovernanceVotingPeriod,
        GlobalParameter.GovernanceTimelock => GovernanceTimelock,
        GlobalParameter.OwnershipMinAge => OwnershipMinAge,
        GlobalParameter.MinTxFee => MinTxFee,
        GlobalParameter.ProposalBond => ProposalBond,
        GlobalParameter.CommitmentRateLimit => CommitmentRateLimit,
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown global parameter."),
    };

    public GlobalParameters With(GlobalParameter p, ulong v) => p switch
    {
        GlobalParameter.MaxSubnets => this with { MaxSubnets = v },
        GlobalParameter.MinLockCost => this with { MinLockCost = v },
        GlobalParameter.LockReductionInterval => this with { LockReductionInterval = v },
        GlobalParameter.SubnetImmunityBlocks => this with { SubnetImmunityBlocks = v },
        GlobalParameter.GovernanceVotingPeriod => this with { GovernanceVotingPeriod = v },
        GlobalParameter.GovernanceTimelock => this with { GovernanceTimelock = v },
        GlobalParameter.OwnershipMinAge => this with { OwnershipMinAge = v },
        GlobalParameter.MinTxFee => this with { MinTxFee = v },
        GlobalParameter.ProposalBond => this with { ProposalBond = v },
        GlobalParameter.CommitmentRateLimit => this with { CommitmentRateLimit = v },
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "Unknown global parameter."),
    };

    public void Encode(CanonicalWriter w)
    {
        foreach (var p in All)
        {
            w.WriteU64(Get(p));
        }
    }

    public static GlobalParameters Decode(ref CanonicalReader r)
    {
        var g = new GlobalParameters();
        foreach (var p in All)
        {
            var v = r.ReadU64(p.ToString());
            var error = Check(p, v);
            if (error is not null)
            {
                throw new EncodingException($"Stored global parameter: {error}");
            }

            g = g.With(p, v);
        }

        return g;
    }
}
