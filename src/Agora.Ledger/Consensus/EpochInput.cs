namespace Agora.Ledger.Consensus;

/// <summary>Everything one Yuma epoch of one subnet reads (README §3.2 of the Yuma vectors; defaults are
/// subtensor's). All per-UID arrays have length n = Stake.Length. Weight and bond rows hold sparse u16 entries;
/// their columns must be distinct UIDs below n (rows are processed in ascending column order).</summary>
public sealed class EpochInput
{
    /// <summary>The largest subnet the epoch accepts; it keeps every plain I32F32 sum (n * 65535) in range.</summary>
    public const int MaxUids = 4096;

    public required ulong Block { get; init; }
    public required ushort Tempo { get; init; }

    /// <summary>Effective activity cutoff in blocks: a UID is active unless last_update + cutoff &lt; block.</summary>
    public ulong ActivityCutoff { get; init; } = 5000;

    /// <summary>Consensus majority as a u16 proportion (32767 = about 0.5).</summary>
    public ushort Kappa { get; init; } = 32767;

    /// <summary>How far bonds follow the clipped weights (u16 proportion; 65535 = fully).</summary>
    public ushort BondsPenalty { get; init; } = 65535;

    /// <summary>In millionths (900000 = 0.9), at most 1,000,000.</summary>
    public ulong BondsMovingAverage { get; init; } = 900_000;

    /// <summary>false: original Yuma bonds; true: Yuma 3.</summary>
    public bool Yuma3 { get; init; } = true;

    /// <summary>Per-entry EMA alpha from the consensus sigmoid (read only with Yuma 3).</summary>
    public bool LiquidAlpha { get; init; }

    public ushort AlphaLow { get; init; } = 45875;
    public ushort AlphaHigh { get; init; } = 58982;
    public short AlphaSigmoidSteepness { get; init; } = 1000;
    public ushort MaxAllowedValidators { get; init; } = 64;

    /// <summary>Token units (rao or alpha-rao) this epoch distributes.</summary>
    public required ulong RaoEmission { get; init; }

    /// <summary>Stake per UID in token units.</summary>
    public required ulong[] Stake { get; init; }

    public required ulong[] LastUpdate { get; init; }
    public required ulong[] BlockAtRegistration { get; init; }

    /// <summary>The validator permits stored by the previous epoch.</summary>
    public required bool[] ValidatorPermit { get; init; }

    /// <summary>Stored weight rows (max-upscaled u16), one per UID.</summary>
    public required SparseEntry[][] Weights { get; init; }

    /// <summary>Stored bond rows (u16), one per UID.</summary>
    public required SparseEntry[][] Bonds { get; init; }

    public int N => Stake.Length;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistency.</summary>
    public void Validate()
    {
        var n = Stake.Length;
        if (n > MaxUids)
        {
            throw new ArgumentException($"an epoch takes at most {MaxUids} UIDs, got {n}");
        }

        CheckLength(nameof(LastUpdate), LastUpdate.Length, n);
        CheckLength(nameof(BlockAtRegistration), BlockAtRegistration.Length, n);
        CheckLength(nameof(ValidatorPermit), ValidatorPermit.Length, n);
        CheckLength(nameof(Weights), Weights.Length, n);
        CheckLength(nameof(Bonds), Bonds.Length, n);
        if (BondsMovingAverage > 1_000_000)
        {
            throw new ArgumentException($"BondsMovingAverage is in millionths and must be at most 1000000, got {BondsMovingAverage}");
        }

        if (AlphaLow > AlphaHigh)
        {
            throw new ArgumentException($"AlphaLow ({AlphaLow}) must not exceed AlphaHigh ({AlphaHigh})");
        }

        var totalStake = UInt128.Zero;
        foreach (var stake in Stake)
        {
            totalStake += stake;
        }

        if (totalStake > long.MaxValue)
        {
            throw new ArgumentException($"total stake {totalStake} exceeds 2^63 - 1 token units");
        }

        CheckRows(nameof(Weights), Weights, n);
        CheckRows(nameof(Bonds), Bonds, n);
    }

    private static void CheckLength(string name, int length, int n)
    {
        if (length != n)
        {
            throw new ArgumentException($"{name} has {length} entries but Stake has {n}");
        }
    }

    private static void CheckRows(string name, SparseEntry[][] rows, int n)
    {
        var seen = new bool[n];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"{name}[{i}] is null");
            foreach (var entry in row)
            {
                if (entry.Column >= n)
                {
                    throw new ArgumentException($"{name}[{i}] has column {entry.Column}, but UIDs run 0..{n - 1}");
                }

                if (seen[entry.Column])
                {
                    throw new ArgumentException($"{name}[{i}] has column {entry.Column} twice");
                }

                seen[entry.Column] = true;
            }

            foreach (var entry in row)
            {
                seen[entry.Column] = false;
            }
        }
    }
}
