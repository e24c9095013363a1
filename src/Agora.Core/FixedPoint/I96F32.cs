using System.Numerics;

namespace Agora.Core.FixedPoint;

/// <summary>Signed fixed point with 96 integer and 32 fraction bits (value = Bits / 2^32; the 128-bit raw value is
/// the whole range), substrate-fixed semantics: multiplication floors, division truncates, plain operators throw on
/// overflow. subtensor uses it to convert proportions to rao and in the block-emission curve.</summary>
public readonly struct I96F32 : IEquatable<I96F32>, IComparable<I96F32>
{
    public const int FracBits = 32;
    private static readonly Int128 Small = (Int128)1 << 63;
    private static readonly Int128 DivSmall = (Int128)1 << 94;

    private I96F32(Int128 bits) => Bits = bits;

    public Int128 Bits { get; }

    public static I96F32 Zero => default;
    public static I96F32 One => new((Int128)1 << FracBits);
    public static I96F32 MaxValue => new(Int128.MaxValue);
    public static I96F32 MinValue => new(Int128.MinValue);

    public static I96F32 FromBits(Int128 bits) => new(bits);

    public static I96F32 FromInt(long value) => new((Int128)value << FracBits);

    public static I96F32 FromUInt(ulong value) => new((Int128)value << FracBits);

    public bool IsZero => Bits == 0;

    public static I96F32 operator +(I96F32 a, I96F32 b) => new(checked(a.Bits + b.Bits));
    public static I96F32 operator -(I96F32 a, I96F32 b) => new(checked(a.Bits - b.Bits));

    public static I96F32 operator *(I96F32 a, I96F32 b) =>
        CheckedMul(a, b) ?? throw new OverflowException($"I96F32 multiply overflow: {a} * {b}");

    public static I96F32 operator /(I96F32 a, I96F32 b)
    {
        if (b.Bits == 0)
        {
            throw new DivideByZeroException("I96F32 division by zero");
        }

        return CheckedDiv(a, b) ?? throw new OverflowException($"I96F32 divide overflow: {a} / {b}");
    }

    public static I96F32? CheckedMul(I96F32 a, I96F32 b)
    {
        if (a.Bits > -Small && a.Bits < Small && b.Bits > -Small && b.Bits < Small)
        {
            return new(a.Bits * b.Bits >> FracBits);
        }

        return FromBig(FixedWide.MulShiftFloor(a.Bits, b.Bits, FracBits));
    }

    public static I96F32? CheckedDiv(I96F32 a, I96F32 b)
    {
        if (b.Bits == 0)
        {
            return null;
        }

        if (a.Bits > -DivSmall && a.Bits < DivSmall)
        {
            return new((a.Bits << FracBits) / b.Bits);
        }

        return FromBig(FixedWide.ShiftDivTrunc(a.Bits, b.Bits, FracBits));
    }

    public static I96F32 SafeDiv(I96F32 a, I96F32 b) => CheckedDiv(a, b) ?? Zero;

    public static I96F32 SaturatingAdd(I96F32 a, I96F32 b)
    {
        var sum = a.Bits + b.Bits;
        return ((a.Bits ^ sum) & (b.Bits ^ sum)) < 0 ? (b.Bits > 0 ? MaxValue : MinValue) : new(sum);
    }

    public static I96F32 SaturatingSub(I96F32 a, I96F32 b)
    {
        var diff = a.Bits - b.Bits;
        return ((a.Bits ^ b.Bits) & (a.Bits ^ diff)) < 0 ? (b.Bits < 0 ? MaxValue : MinValue) : new(diff);
    }

    public static I96F32 SaturatingMul(I96F32 a, I96F32 b) =>
        CheckedMul(a, b) ?? ((a.Bits < 0) != (b.Bits < 0) ? MinValue : MaxValue);

    private static I96F32? FromBig(BigInteger value) =>
        value < (BigInteger)Int128.MinValue || value > (BigInteger)Int128.MaxValue ? null : new((Int128)value);

    /// <summary>floor, clamped to [0, 2^64 - 1] (saturating_to_num::&lt;u64&gt;).</summary>
    public ulong ToU64()
    {
        var floor = Bits >> FracBits;
        return floor <= 0 ? 0UL : floor >= ulong.MaxValue ? ulong.MaxValue : (ulong)floor;
    }

    /// <summary>Same fraction width, so only the range is checked.</summary>
    public I32F32 ToI32F32() =>
        Bits < long.MinValue || Bits > long.MaxValue
            ? throw new OverflowException($"{this} does not fit in I32F32")
            : I32F32.FromBits((long)Bits);

    public static bool operator ==(I96F32 a, I96F32 b) => a.Bits == b.Bits;
    public static bool operator !=(I96F32 a, I96F32 b) => a.Bits != b.Bits;
    public static bool operator <(I96F32 a, I96F32 b) => a.Bits < b.Bits;
    public static bool operator >(I96F32 a, I96F32 b) => a.Bits > b.Bits;
    public static bool operator <=(I96F32 a, I96F32 b) => a.Bits <= b.Bits;
    public static bool operator >=(I96F32 a, I96F32 b) => a.Bits >= b.Bits;

    public bool Equals(I96F32 other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is I96F32 other && Equals(other);
    public override int GetHashCode() => Bits.GetHashCode();
    public int CompareTo(I96F32 other) => Bits.CompareTo(other.Bits);
    public override string ToString() => FixedWide.ToDecimalString(Bits, FracBits);
}
