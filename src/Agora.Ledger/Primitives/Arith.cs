using System.Numerics;

namespace Agora.Ledger.Primitives;

/// <summary>Exact integer helpers for the ratios the ledger evaluates (amount × numerator / denominator).</summary>
public static class Arith
{
    /// <summary>floor(a × b / d); d must be non-zero. Exact for any 128-bit inputs (BigInteger intermediate).</summary>
    public static UInt128 MulDiv(UInt128 a, UInt128 b, UInt128 d)
    {
        if (d == 0)
        {
            throw new DivideByZeroException("MulDiv by zero.");
        }

        var q = (BigInteger)a * (BigInteger)b / (BigInteger)d;
        return (UInt128)q;
    }

    /// <summary>ceil(a × b / d); d must be non-zero.</summary>
    public static UInt128 MulDivCeil(UInt128 a, UInt128 b, UInt128 d)
    {
        if (d == 0)
        {
            throw new DivideByZeroException("MulDivCeil by zero.");
        }

        var n = (BigInteger)a * (BigInteger)b;
        var q = BigInteger.DivRem(n, d, out var r);
        return (UInt128)(r.IsZero ? q : q + 1);
    }

    /// <summary>floor(a × b / d) clamped to u64 (0 when d is 0).</summary>
    public static ulong MulDivU64(ulong a, ulong b, ulong d) =>
        d == 0 ? 0 : (ulong)UInt128.Min(MulDiv(a, b, d), ulong.MaxValue);

    public static ulong SatAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;

    public static ulong SatSub(ulong a, ulong b) => a > b ? a - b : 0;
}
