using System.Numerics;
using Agora.Core.FixedPoint;

namespace Agora.Core.Tests;

/// <summary>The 128-bit types (I64F64, U64F64, I96F32) against an exact BigInteger reference.</summary>
public class FixedPointWideTests
{
    private static BigInteger FloorShift(BigInteger value, int shift) => value >> shift;

    private static IEnumerable<BigInteger> Signed128(int seed, int count)
    {
        var random = new Random(seed);
        BigInteger[] edges = [0, 1, -1, BigInteger.One << 64, -(BigInteger.One << 64), (BigInteger)Int128.MaxValue, (BigInteger)Int128.MinValue, BigInteger.One << 96];
        foreach (var edge in edges)
        {
            yield return edge;
        }

        var buffer = new byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(buffer);
            var value = new BigInteger(buffer) >> random.Next(0, 127);
            yield return value;
        }
    }

    private static bool FitsInt128(BigInteger v) => v >= (BigInteger)Int128.MinValue && v <= (BigInteger)Int128.MaxValue;

    [Fact]
    public void I64F64_multiply_floors_and_divide_truncates_like_the_exact_reference()
    {
        var xs = Signed128(11, 120).ToArray();
        foreach (var a in xs)
        {
            foreach (var b in Signed128(12, 25))
            {
                var fa = I64F64.FromBits((Int128)a);
                var fb = I64F64.FromBits((Int128)b);
                var product = FloorShift(a * b, 64);
                Assert.Equal(FitsInt128(product) ? product : null, (BigInteger?)I64F64.CheckedMul(fa, fb)?.Bits);
                if (b.IsZero)
                {
                    Assert.Equal(I64F64.Zero, I64F64.SafeDiv(fa, fb));
                    continue;
                }

                var quotient = BigInteger.Divide(a << 64, b);
                Assert.Equal(FitsInt128(quotient) ? quotient : BigInteger.Zero, (BigInteger)I64F64.SafeDiv(fa, fb).Bits);
            }
        }
    }

    [Fact]
    public void I96F32_multiply_floors_and_divide_truncates_like_the_exact_reference()
    {
        var xs = Signed128(13, 120).ToArray();
        foreach (var a in xs)
        {
            foreach (var b in Signed128(14, 25))
            {
                var fa = I96F32.FromBits((Int128)a);
                var fb = I96F32.FromBits((Int128)b);
                var product = FloorShift(a * b, 32);
                Assert.Equal(FitsInt128(product) ? product : null, (BigInteger?)I96F32.CheckedMul(fa, fb)?.Bits);
                if (b.IsZero)
                {
                    Assert.Null(I96F32.CheckedDiv(fa, fb));
                    continue;
                }

                var quotient = BigInteger.Divide(a << 32, b);
                Assert.Equal(FitsInt128(quotient) ? quotient : null, (BigInteger?)I96F32.CheckedDiv(fa, fb)?.Bits);
            }
        }
    }

    [Fact]
    public void U64F64_multiply_and_divide_match_the_exact_reference()
    {
        var xs = Signed128(15, 120).Select(BigInteger.Abs).Where(v => v <= (BigInteger)UInt128.MaxValue).ToArray();
        foreach (var a in xs)
        {
            foreach (var b in Signed128(16, 25).Select(BigInteger.Abs).Where(v => v <= (BigInteger)UInt128.MaxValue))
            {
                var fa = U64F64.FromBits((UInt128)a);
                var fb = U64F64.FromBits((UInt128)b);
                var product = (a * b) >> 64;
                Assert.Equal(product <= (BigInteger)UInt128.MaxValue ? product : null, (BigInteger?)U64F64.CheckedMul(fa, fb)?.Bits);
                if (!b.IsZero)
                {
                    var quotient = (a << 64) / b;
                    Assert.Equal(quotient <= (BigInteger)UInt128.MaxValue ? quotient : BigInteger.Zero, (BigInteger)U64F64.SafeDiv(fa, fb).Bits);
                }
            }
        }
    }

    [Fact]
    public void Narrowing_I64F64_to_I32F32_drops_the_low_bits_by_floor()
    {
        var value = I64F64.FromBits(((Int128)3 << 64) + ((Int128)1 << 31) + 5);
        Assert.Equal((3L << 32) + 0, value.ToI32F32().Bits);
        var negative = I64F64.FromBits(-(Int128)1);
        Assert.Equal(-1L, negative.ToI32F32().Bits);
        Assert.Throws<OverflowException>(() => I64F64.FromInt(1L << 40).ToI32F32());
    }

    [Fact]
    public void Rao_conversion_in_I96F32_floors()
    {
        var proportion = I32F32.FromBits(429496729).ToI96F32();
        Assert.Equal(99999999UL, (proportion * I96F32.FromUInt(1_000_000_000)).ToU64());
    }
}
