using Agora.Ledger.Consensus;

namespace Agora.Bench.Ledger;

/// <summary>A steady-state Yuma 3 epoch with liquid alpha: `uids` UIDs, the first `validators` of them holding stake
/// and permits and weighting every other UID densely, with bonds carried over from a previous epoch.</summary>
public static class YumaBenchInput
{
    public static EpochInput Create(int uids = 256, int validators = 64, int seed = 42)
    {
        var random = new Random(seed);
        var stake = new ulong[uids];
        var permits = new bool[uids];
        for (var i = 0; i < validators; i++)
        {
            stake[i] = (ulong)random.NextInt64(1_000_000_000, 100_000_000_000_000);
            permits[i] = true;
        }

        var weights = new SparseEntry[uids][];
        for (var i = 0; i < uids; i++)
        {
            weights[i] = i < validators
                ? Enumerable.Range(0, uids).Where(j => j != i).Select(j => new SparseEntry((ushort)j, (ushort)random.Next(0, 65536))).ToArray()
                : [];
        }

        var input = Build(uids, stake, permits, weights, FixedMatrixBonds(uids), block: 10_000);
        var previous = YumaEpoch.Run(input);
        return Build(uids, stake, previous.ValidatorPermit, weights, previous.Bonds, block: 10_360);
    }

    private static SparseEntry[][] FixedMatrixBonds(int uids)
    {
        var bonds = new SparseEntry[uids][];
        Array.Fill(bonds, []);
        return bonds;
    }

    private static EpochInput Build(int uids, ulong[] stake, bool[] permits, SparseEntry[][] weights, SparseEntry[][] bonds, ulong block) => new()
    {
        Block = block,
        Tempo = 360,
        ActivityCutoff = 5000,
        Yuma3 = true,
        LiquidAlpha = true,
        MaxAllowedValidators = 64,
        RaoEmission = 1_000_000_000,
        Stake = stake,
        LastUpdate = Enumerable.Repeat(block - 100, uids).ToArray(),
        BlockAtRegistration = Enumerable.Repeat(1UL, uids).ToArray(),
        ValidatorPermit = permits,
        Weights = weights,
        Bonds = bonds,
    };
}
