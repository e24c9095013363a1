using System.Numerics;

namespace Agora.Ledger.Economics;

/// <summary>(n/d)^(a/b) for 0 &lt; n &lt;= d, floored at scale 10^18, in exact integer arithmetic (no floating point).
/// Integer exponents are evaluated exactly as a ratio of powers; other exponents as exp((a/b)·ln(n/d)) at an
/// internal scale of 10^40 (ln by the atanh series after a power-of-two reduction, exp by a Taylor series after
/// reduction by multiples of ln 2), which is far finer than the 10^-18 of the result.</summary>
public static class BalancerMath
{
    public static readonly BigInteger ResultScale = BigInteger.Pow(10, 18);
    private static readonly BigInteger Scale = BigInteger.Pow(10, 40);
    private static readonly BigInteger Ln2 = 2 * Atanh(Scale / 3);

    /// <summary>Below this, exp(y) * 10^18 &lt; 1 and the floored result is 0.</summary>
    private static readonly BigInteger ExpFloor = -45 * Scale;

    /// <summary>floor((n/d)^(a/b) * 10^18), at most 10^18.</summary>
    public static ulong PowRatio(BigInteger numerator, BigInteger denominator, BigInteger exponentNumerator, BigInteger exponentDenominator)
    {
        if (numerator.Sign <= 0 || denominator.Sign <= 0 || numerator > denominator)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), $"the base must be in (0, 1], got {numerator}/{denominator}");
        }

        if (exponentNumerator.Sign < 0 || exponentDenominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(exponentNumerator), $"the exponent must be non-negative, got {exponentNumerator}/{exponentDenominator}");
        }

        var gcd = BigInteger.GreatestCommonDivisor(exponentNumerator, exponentDenominator);
        var a = exponentNumerator / gcd;
        var b = exponentDenominator / gcd;
        if (a.IsZero || numerator == denominator)
        {
            return (ulong)ResultScale;
        }

        if (b.IsOne && a <= 256)
        {
            var e = (int)a;
            return (ulong)(BigInteger.Pow(numerator, e) * ResultScale / BigInteger.Pow(denominator, e));
        }

        var y = Ln(numerator, denominator) * a / b;  // <= 0
        if (y < ExpFloor)
        {
            return 0;
        }

        var value = Exp(y) * ResultScale / Scale;
        return (ulong)BigInteger.Min(value, ResultScale);
    }

    /// <summary>ln(n/d) at <see cref="Scale"/>.</summary>
    private static BigInteger Ln(BigInteger n, BigInteger d)
    {
        if (n < d)
        {
            return -Ln(d, n);
        }

        // n/d = 2^k * m with m in [1, 2); ln m = 2 atanh((m - 1) / (m + 1)).
        var k = (int)(n.GetBitLength() - d.GetBitLength());
        if (d << k > n)
        {
            k--;
        }

        var dk = d << k;
        var z = (n - dk) * Scale / (n + dk);
        return k * Ln2 + 2 * Atanh(z);
    }

    /// <summary>atanh(z) for 0 &lt;= z &lt;= 1/3 at <see cref="Scale"/>: z + z^3/3 + z^5/5 + ...</summary>
    private static BigInteger Atanh(BigInteger z)
    {
        var z2 = z * z / Scale;
        var power = z;
        var sum = BigInteger.Zero;
        for (var i = 1; !power.IsZero; i += 2)
        {
            sum += power / i;
            power = power * z2 / Scale;
        }

        return sum;
    }

    /// <summary>exp(y) for y &lt;= 0 at <see cref="Scale"/>: y = r - k·ln 2 with r in [0, ln 2), exp(r) by Taylor, then / 2^k.</summary>
    private static BigInteger Exp(BigInteger y)
    {
        var k = (-y + Ln2 - 1) / Ln2;  // ceil(-y / ln 2)
        var r = y + k * Ln2;
        var term = Scale;
        var sum = Scale;
        for (var i = 1; !term.IsZero; i++)
        {
            term = term * r / (Scale * i);
            sum += term;
        }

        return sum >> (int)k;
    }
}
