using System.Numerics;

namespace Agora.Core.FixedPoint;

/// <summary>Signed fixed point with 64 integer and 64 fraction bits (value = Bits / 2^64), substrate-fixed
/// semantics: multiplication floors, division truncates toward zero, plain operators throw on overflow.
/// subtensor uses it to normalise stake before narrowing to <see cref="I32F32"/>.</summary>
public readonly struct I64F64 : IEquatable<I64F64>, IComparable<I64F64>
{
    public const int FracBits = 64;
    private static readonly Int128 Small = (Int128)1 << 63;

    private I64F64(Int128 bits) => Bits = bits;

    public Int128 Bits { get; }

    public static I64F64 Zero => default;
    public static I64F64 One => new((Int128)1 << FracBits);
    public static I64F64 MaxValue => new(Int128.MaxValue);
    public static I64F64 MinValue => new(Int128.MinValue);

    public static I64F64 FromBits(Int128 bits) => new(bits);

    /// <summary>from_num of an integer: v &lt;&lt; 64 (always fits).</summary>
    public static I64F64 FromInt(long value) => new((Int128)value << FracBits);

    /// <summary>from_num of an unsigned integer; throws when v exceeds 2^63 - 1 (the integer part is signed).</summary>
    public static I64F64 FromUInt(ulong value) =>
        value > long.MaxValue ? throw new OverflowException($"{value} does not fit in I64F64") : new((Int128)value << FracBits);

    public bool IsZero => Bits == 0;

    public static I64F64 operator +(I64F64 a, I64F64 b) => new(checked(a.Bits + b.Bits));
    public static I64F64 operator -(I64F64 a, I64F64 b) => new(checked(a.Bits - b.Bits));

    public static I64F64 operator *(I64F64 a, I64F64 b) =>
        CheckedMul(a, b) ?? throw new OverflowException($"I64F64 multiply overflow: {a} * {b}");

    public static I64F64 operator /(I64F64 a, I64F64 b)
    {
        if (b.Bits == 0)
        {
            throw new DivideByZeroException("I64F64 division by zero");
        }

        return CheckedDiv(a, b) ?? throw new OverflowException($"I64F64 divide overflow: {a} / {b}");
    }

    public static I64F64? CheckedMul(I64F64 a, I64F64 b)
    {
        if (a.Bits > -Small && a.Bits < Small && b.Bits > -Small && b.Bits < Small)
        {
            return new(a.Bits * b.Bits >> FracBits);
        }

        return FromBig(FixedWide.MulShiftFloor(a.Bits, b.Bits, FracBits));
    }

    public static I64F64? CheckedDiv(I64F64 a, I64F64 b)
    {
        if (b.Bits == 0)
        {
            return null;
        }

        if (a.Bits > -Small && a.Bits < Small)
        {
            var shifted = a.Bits << FracBits;
            if (b.Bits == -1 && shifted == Int128.MinValue)
            {
                return null;
            }

            return new(shifted / b.Bits);
        }

        return FromBig(FixedWide.ShiftDivTrunc(a.Bits, b.Bits, FracBits));
    }

    /// <summary>a / b, or 0 when b is zero or the quotient overflows.</summary>
    public static I64F64 SafeDiv(I64F64 a, I64F64 b) => CheckedDiv(a, b) ?? Zero;

    public static I64F64 SaturatingAdd(I64F64 a, I64F64 b)
    {
        var sum = a.Bits + b.Bits;
        return ((a.Bits ^ sum) & (b.Bits ^ sum)) < 0 ? (b.Bits > 0 ? MaxValue : MinValue) : new(sum);
    }

    public static I64F64 SaturatingSub(I64F64 a, I64F64 b)
    {
        var diff = a.Bits - b.Bits;
        return ((a.Bits ^ b.Bits) & (a.Bits ^ diff)) < 0 ? (b.Bits < 0 ? MaxValue : MinValue) : new(diff);
    }

    public static I64F64 SaturatingMul(I64F64 a, I64F64 b) =>
        CheckedMul(a, b) ?? ((a.Bits < 0) != (b.Bits < 0) ? MinValue : MaxValue);

    private static I64F64? FromBig(BigInteger value) =>
        value < (BigInteger)Int128.MinValue || value > (BigInteger)Int128.MaxValue ? null : new((Int128)value);

    /// <summary>Narrowing to I32F32 drops the low 32 fraction bits (floor); throws when the integer part does not fit.</summary>
    public I32F32 ToI32F32()
    {
        var bits = Bits >> 32;
        return bits < long.MinValue || bits > long.MaxValue
            ? throw new OverflowException($"{this} does not fit in I32F32")
            : I32F32.FromBits((long)bits);
    }

    /// <summary>floor, clamped to [0, 2^64 - 1].</summary>
    public ulong ToU64()
    {
        var floor = Bits >> FracBits;
        return floor <= 0 ? 0UL : (ulong)floor;
    }

    public static bool operator ==(I64F64 a, I64F64 b) => a.Bits == b.Bits;
    public static bool operator !=(I64F64 a, I64F64 b) => a.Bits != b.Bits;
    public static bool operator <(I64F64 a, I64F64 b) => a.Bits < b.Bits;
    public static bool operator >(I64F64 a, I64F64 b) => a.Bits > b.Bits;
    public static bool operator <=(I64F64 a, I64F64 b) => a.Bits <= b.Bits;
    public static bool operator >=(I64F64 a, I64F64 b) => a.Bits >= b.Bits;

    public bool Equals(I64F64 other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is I64F64 other && Equals(other);
    public override int GetHashCode() => Bits.GetHashCode();
    public int CompareTo(I64F64 other) => Bits.CompareTo(other.Bits);
    public override string ToString() => FixedWide.ToDecimalString(Bits, FracBits);
}
