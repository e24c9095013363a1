using System.Numerics;

namespace Agora.Core.FixedPoint;

/// <summary>Unsigned fixed point with 64 integer and 64 fraction bits (value = Bits / 2^64), substrate-fixed
/// semantics: multiplication floors, division truncates; plain operators throw on overflow and underflow.
/// subtensor uses it for the swap fee rate and the registration burn multiplier.</summary>
public readonly struct U64F64 : IEquatable<U64F64>, IComparable<U64F64>
{
    public const int FracBits = 64;
    private static readonly UInt128 Small = (UInt128)1 << 64;

    private U64F64(UInt128 bits) => Bits = bits;

    public UInt128 Bits { get; }

    public static U64F64 Zero => default;
    public static U64F64 One => new((UInt128)1 << FracBits);
    public static U64F64 MaxValue => new(UInt128.MaxValue);

    public static U64F64 FromBits(UInt128 bits) => new(bits);

    public static U64F64 FromInt(ulong value) => new((UInt128)value << FracBits);

    public bool IsZero => Bits == 0;

    public static U64F64 operator +(U64F64 a, U64F64 b) => new(checked(a.Bits + b.Bits));
    public static U64F64 operator -(U64F64 a, U64F64 b) => new(checked(a.Bits - b.Bits));

    public static U64F64 operator *(U64F64 a, U64F64 b) =>
        CheckedMul(a, b) ?? throw new OverflowException($"U64F64 multiply overflow: {a} * {b}");

    public static U64F64 operator /(U64F64 a, U64F64 b)
    {
        if (b.Bits == 0)
        {
            throw new DivideByZeroException("U64F64 division by zero");
        }

        return CheckedDiv(a, b) ?? throw new OverflowException($"U64F64 divide overflow: {a} / {b}");
    }

    public static U64F64? CheckedMul(U64F64 a, U64F64 b)
    {
        if (a.Bits < Small && b.Bits < Small)
        {
            return new(a.Bits * b.Bits >> FracBits);
        }

        return FromBig(FixedWide.MulShiftFloor(a.Bits, b.Bits, FracBits));
    }

    public static U64F64? CheckedDiv(U64F64 a, U64F64 b)
    {
        if (b.Bits == 0)
        {
            return null;
        }

        return a.Bits < Small ? new((a.Bits << FracBits) / b.Bits) : FromBig(FixedWide.ShiftDivTrunc(a.Bits, b.Bits, FracBits));
    }

    public static U64F64 SafeDiv(U64F64 a, U64F64 b) => CheckedDiv(a, b) ?? Zero;

    public static U64F64 SaturatingAdd(U64F64 a, U64F64 b)
    {
        var sum = a.Bits + b.Bits;
        return sum < a.Bits ? MaxValue : new(sum);
    }

    public static U64F64 SaturatingSub(U64F64 a, U64F64 b) => a.Bits <= b.Bits ? Zero : new(a.Bits - b.Bits);

    public static U64F64 SaturatingMul(U64F64 a, U64F64 b) => CheckedMul(a, b) ?? MaxValue;

    private static U64F64? FromBig(BigInteger value) => value > (BigInteger)UInt128.MaxValue ? null : new((UInt128)value);

    /// <summary>floor as u64 (the integer part always fits).</summary>
    public ulong ToU64() => (ulong)(Bits >> FracBits);

    public static bool operator ==(U64F64 a, U64F64 b) => a.Bits == b.Bits;
    public static bool operator !=(U64F64 a, U64F64 b) => a.Bits != b.Bits;
    public static bool operator <(U64F64 a, U64F64 b) => a.Bits < b.Bits;
    public static bool operator >(U64F64 a, U64F64 b) => a.Bits > b.Bits;
    public static bool operator <=(U64F64 a, U64F64 b) => a.Bits <= b.Bits;
    public static bool operator >=(U64F64 a, U64F64 b) => a.Bits >= b.Bits;

    public bool Equals(U64F64 other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is U64F64 other && Equals(other);
    public override int GetHashCode() => Bits.GetHashCode();
    public int CompareTo(U64F64 other) => Bits.CompareTo(other.Bits);
    public override string ToString() => FixedWide.ToDecimalString(Bits, FracBits);
}
