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
    public ulong MinTxFee { get; init; }

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
