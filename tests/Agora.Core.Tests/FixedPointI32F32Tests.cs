using System.Numerics;
using Agora.Core.FixedPoint;

namespace Agora.Core.Tests;

/// <summary>I32F32 against an exact BigInteger reference over seeded random operands.</summary>
public class FixedPointI32F32Tests
{
    private static readonly BigInteger LongMin = long.MinValue;
    private static readonly BigInteger LongMax = long.MaxValue;

    private static IEnumerable<long> Operands(int seed, int count)
    {
        var random = new Random(seed);
        long[] edges = [0, 1, -1, 1L << 32, -(1L << 32), long.MaxValue, long.MinValue, 1L << 31, (1L << 32) - 1, 65535L << 32];
        foreach (var edge in edges)
        {
            yield return edge;
        }

        for (var i = 0; i < count; i++)
        {
            // Mix magnitudes so that both in-range and overflowing products occur.
            var bits = random.Next(0, 64);
            var value = random.NextInt64() >> bits;
            yield return random.Next(2) == 0 ? value : -value;
        }
    }

    private static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        var q = BigInteger.DivRem(a, b, out var r);
        return r.Sign != 0 && (r.Sign < 0) != (b.Sign < 0) ? q - 1 : q;
    }

    [Fact]
    public void Multiplication_floors_the_exact_product_and_reports_overflow()
    {
        var xs = Operands(1, 300).ToArray();
        var ys = Operands(2, 300).ToArray();
        foreach (var a in xs)
        {
            foreach (var b in ys.Take(40))
            {
                var exact = FloorDiv((BigInteger)a * b, BigInteger.One << 32);
                var inRange = exact >= LongMin && exact <= LongMax;
                var checkedResult = I32F32.CheckedMul(I32F32.FromBits(a), I32F32.FromBits(b));
                Assert.Equal(inRange, checkedResult.HasValue);
                var saturated = I32F32.SaturatingMul(I32F32.FromBits(a), I32F32.FromBits(b)).Bits;
                Assert.Equal(inRange ? (long)exact : exact < 0 ? long.MinValue : long.MaxValue, saturated);
                if (inRange)
                {
                    Assert.Equal((long)exact, checkedResult!.Value.Bits);
                    Assert.Equal((long)exact, (I32F32.FromBits(a) * I32F32.FromBits(b)).Bits);
                }
                else
                {
                    Assert.Throws<OverflowException>(() => I32F32.FromBits(a) * I32F32.FromBits(b));
                }
            }
        }
    }

    [Fact]
    public void Division_truncates_toward_zero_and_safe_div_returns_zero_on_zero_divisor_or_overflow()
    {
        var xs = Operands(3, 300).ToArray();
        var ys = Operands(4, 300).ToArray();
        foreach (var a in xs)
        {
            foreach (var b in ys.Take(40))
            {
                var fa = I32F32.FromBits(a);
                var fb = I32F32.FromBits(b);
                if (b == 0)
                {
                    Assert.Null(I32F32.CheckedDiv(fa, fb));
                    Assert.Equal(0, I32F32.SafeDiv(fa, fb).Bits);
                    Assert.Throws<DivideByZeroException>(() => fa / fb);
                    continue;
                }

                var exact = BigInteger.Divide((BigInteger)a << 32, b);
                var inRange = exact >= LongMin && exact <= LongMax;
                Assert.Equal(inRange ? (long)exact : 0, I32F32.SafeDiv(fa, fb).Bits);
                Assert.Equal(inRange ? (long)exact : exact < 0 ? long.MinValue : long.MaxValue, I32F32.SaturatingDiv(fa, fb).Bits);
            }
        }
    }

    [Fact]
    public void Saturating_add_and_sub_clamp_at_the_range_ends()
    {
        foreach (var a in Operands(5, 200))
        {
            foreach (var b in Operands(6, 30))
            {
                var sum = (BigInteger)a + b;
                var diff = (BigInteger)a - b;
                Assert.Equal((long)BigInteger.Clamp(sum, LongMin, LongMax), I32F32.SaturatingAdd(I32F32.FromBits(a), I32F32.FromBits(b)).Bits);
                Assert.Equal((long)BigInteger.Clamp(diff, LongMin, LongMax), I32F32.SaturatingSub(I32F32.FromBits(a), I32F32.FromBits(b)).Bits);
                Assert.Equal(sum >= LongMin && sum <= LongMax, I32F32.CheckedAdd(I32F32.FromBits(a), I32F32.FromBits(b)).HasValue);
            }
        }
    }

    [Fact]
    public void To_u16_and_to_u64_floor_then_clamp()
    {
        Assert.Equal(0, I32F32.FromBits(-1).ToU16());
        Assert.Equal(0, I32F32.FromBits((1L << 32) - 1).ToU16());
        Assert.Equal(1, I32F32.One.ToU16());
        Assert.Equal(ushort.MaxValue, I32F32.FromInt(70000).ToU16());
        Assert.Equal(12UL, I32F32.FromBits((12L << 32) + 123).ToU64());
        Assert.Equal(0UL, I32F32.FromInt(-5).ToU64());
    }

    [Fact]
    public void Round_goes_to_nearest_with_ties_away_from_zero()
    {
        Assert.Equal(3L << 32, I32F32.FromBits((5L << 32) / 2).Round().Bits);
        Assert.Equal(-(3L << 32), I32F32.FromBits(-(5L << 32) / 2).Round().Bits);
        Assert.Equal(2L << 32, I32F32.FromBits((2L << 32) + (1L << 31) - 1).Round().Bits);
        Assert.Equal(-(2L << 32), I32F32.FromBits(-((2L << 32) + (1L << 31) - 1)).Round().Bits);
    }

    [Fact]
    public void U16_proportions_round_trip_through_fixed_proportion_to_u16()
    {
        Assert.Equal(I32F32.One, I32F32.FromU16Proportion(65535));
        Assert.Equal(65535, I32F32.One.ToU16Proportion());
        Assert.Equal(32767, I32F32.FromBits(1L << 31).ToU16Proportion());
        for (var v = 0; v <= 65535; v += 97)
        {
            // safe_div truncates, so the round trip may lose exactly one unit.
            var back = I32F32.FromU16Proportion((ushort)v).ToU16Proportion();
            Assert.InRange(back, Math.Max(0, v - 1), v);
        }
    }

    [Fact]
    public void From_int_rejects_values_outside_the_integer_range()
    {
        Assert.Equal(int.MaxValue, I32F32.FromInt(int.MaxValue).ToInt64Floor());
        Assert.Throws<OverflowException>(() => I32F32.FromInt(1L << 31));
    }

    [Fact]
    public void F32_literals_round_to_nearest_with_ties_to_even()
    {
        // 0.51f is exactly 2190433280 / 2^32.
        Assert.Equal(2190433280L, FixedLiteral.ToI32F32(0.51f).Bits);
        // 2^-33 is half an ulp: ties go to the even neighbour (0); 3 * 2^-33 goes to 2.
        Assert.Equal(0L, FixedLiteral.ToI32F32(Math.ScaleB(1.0, -33)).Bits);
        Assert.Equal(2L, FixedLiteral.ToI32F32(Math.ScaleB(3.0, -33)).Bits);
        Assert.Equal(-2L, FixedLiteral.ToI32F32(-Math.ScaleB(3.0, -33)).Bits);
        Assert.Equal(1L, FixedLiteral.ToI32F32(Math.ScaleB(1.0, -33) * 1.0000001).Bits);
        Assert.Equal(UInt128.Parse("23242897532874035200"), FixedLiteral.ToU64F64(1.26).Bits);
    }

    [Fact]
    public void Decimal_text_is_exact()
    {
        Assert.Equal("0.5", I32F32.FromBits(1L << 31).ToString());
        Assert.Equal("-1.25", I32F32.FromBits(-(5L << 30)).ToString());
        Assert.Equal("0.00000000023283064365386962890625", I32F32.Delta.ToString());
    }
}
