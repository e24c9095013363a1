using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>Everything one Yuma epoch produces, indexed by UID; the field set of the vectors' `expect` objects.</summary>
public sealed class EpochOutput
{
    /// <summary>!(last_update + activity_cutoff &lt; block).</summary>
    public required bool[] Active { get; init; }

    /// <summary>Normalised stake as a u16 proportion.</summary>
    public required ushort[] StakeWeight { get; init; }

    /// <summary>The new permits (top-k non-zero stake), to be stored for the next epoch.</summary>
    public required bool[] ValidatorPermit { get; init; }

    public required ushort[] Consensus { get; init; }
    public required ushort[] ValidatorTrust { get; init; }
    public required ushort[] Incentive { get; init; }
    public required ushort[] Dividends { get; init; }

    /// <summary>Token units to miners (incentive share).</summary>
    public required ulong[] ServerEmission { get; init; }

    /// <summary>Token units to validators (dividend share).</summary>
    public required ulong[] ValidatorEmission { get; init; }

    /// <summary>Combined normalised emission (subtensor's `Emission` storage item).</summary>
    public required ulong[] Emission { get; init; }

    /// <summary>The bond rows to store: empty for UIDs without the new permit.</summary>
    public required SparseEntry[][] Bonds { get; init; }

    /// <summary>The raw I32F32 intermediates (`trace_bits` of the vectors).</summary>
    public required EpochTrace Trace { get; init; }

    /// <summary>Bonds as an (n, n) dense u16 matrix, absent entries 0.</summary>
    public ushort[][] DenseBonds()
    {
        var n = Bonds.Length;
        var dense = new ushort[n][];
        for (var i = 0; i < n; i++)
        {
            dense[i] = new ushort[n];
            foreach (var entry in Bonds[i])
            {
                dense[i][entry.Column] = entry.Value;
            }
        }

        return dense;
    }
}

/// <summary>Intermediate I32F32 vectors of an epoch, for conformance checks and debugging.</summary>
public sealed class EpochTrace
{
    public required I32F32[] Stake { get; init; }
    public required I32F32[] ActiveStake { get; init; }
    public required I32F32[] Consensus { get; init; }
    public required I32F32[] ValidatorTrust { get; init; }
    public required I32F32[] Incentive { get; init; }
    public required I32F32[] Dividends { get; init; }
}
