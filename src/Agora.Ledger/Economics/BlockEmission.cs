using Agora.Core.FixedPoint;

namespace Agora.Ledger.Economics;

/// <summary>The halving curve (subtensor's get_block_emission_for_issuance, vectors TV-8): floor(10^9 / 2^k) per
/// block where k = floor(log2(1 / (1 - issuance / 21e15))), computed in I96F32 exactly as subtensor does, and 0
/// once 21M TAO (21e15 rao) are issued. The same curve applies to each subnet's alpha issuance.</summary>
public static class BlockEmission
{
    public const ulong TotalSupply = 21_000_000_000_000_000;
    public const ulong DefaultBlockEmission = 1_000_000_000;

    /// <summary>The intermediates of one evaluation: q = issuance / total supply, log2(1 / (1 - q)) (both I96F32),
    /// the halving count k and the emission; for issuance at or above the supply only <see cref="Emission"/> is set.</summary>
    public readonly record struct Detail(I96F32 Q, I96F32 Log2, int Halvings, ulong Emission);

    public static ulong ForIssuance(ulong issuance) => Evaluate(issuance).Emission;

    public static Detail Evaluate(ulong issuance)
    {
        if (issuance >= TotalSupply)
        {
            return new Detail(I96F32.Zero, I96F32.Zero, 0, 0);
        }

        var q = I96F32.FromUInt(issuance) / I96F32.FromUInt(TotalSupply);
        var x = I96F32.One / (I96F32.One - q);
        var log2 = FixedMath.Log2(x);
        var k = (int)(log2.Bits >> I96F32.FracBits);

        // k <= 32 because q < 1 - 2^-32 whenever issuance < the supply (q is truncated to 32 fraction bits).
        var percentage = I96F32.One / I96F32.FromBits((Int128)1 << (k + I96F32.FracBits));
        var emission = (percentage * I96F32.FromUInt(DefaultBlockEmission)).ToU64();
        return new Detail(q, log2, k, emission);
    }
}
