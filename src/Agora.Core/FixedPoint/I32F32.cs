namespace Agora.Core.FixedPoint;

/// <summary>Signed fixed point with 32 integer and 32 fraction bits (value = Bits / 2^32), with the rounding rules
/// of substrate-fixed v0.6 as subtensor uses them: multiplication floors (arithmetic shift of the exact 128-bit
/// product), division truncates toward zero. The plain operators throw <see cref="OverflowException"/> on overflow
/// (and <see cref="DivideByZeroException"/> on a zero divisor) instead of wrapping, so an arithmetic bug can never
/// silently produce a wrong ledger state; the Saturating*, Checked* and <see cref="SafeDiv"/> forms never throw.</summary>
public readonly struct I32F32 : IEquatable<I32F32>, IComparable<I32F32>
{
    public const int FracBits = 32;

    private I32F32(long bits) => Bits = bits;

    /// <summary>The raw two's-complement representation.</summary>
    public long Bits { get; }

    public static I32F32 Zero => default;
    public static I32F32 One => new(1L << FracBits);
    public static I32F32 MaxValue => new(long.MaxValue);
    public static I32F32 MinValue => new(long.MinValue);

    /// <summary>The smallest positive value, 2^-32.</summary>
    public static I32F32 Delta => new(1);

    public static I32F32 FromBits(long bits) => new(bits);

    /// <summary>from_int: v &lt;&lt; 32; throws when v is outside [-2^31, 2^31).</summary>
    public static I32F32 FromInt(long value)
    {
        if (value < int.MinValue || value > int.MaxValue)
        {
            throw new OverflowException($"{value} does not fit in I32F32 (integer part is 32 bits)");
        }

        return new(value << FracBits);
    }

    /// <summary>v / 65535 as subtensor's u16 proportion: safe_div(from_int(v), from_int(65535)).</summary>
    public static I32F32 FromU16Proportion(ushort value) => SafeDiv(FromInt(value), FromInt(ushort.MaxValue));

    public bool IsZero => Bits == 0;
    public bool IsNegative => Bits < 0;
    public bool IsPositive => Bits > 0;

    // ----- plain (throwing) arithmetic -----

    public static I32F32 operator +(I32F32 a, I32F32 b) => new(checked(a.Bits + b.Bits));
    public static I32F32 operator -(I32F32 a, I32F32 b) => new(checked(a.Bits - b.Bits));
    public static I32F32 operator -(I32F32 a) => new(checked(-a.Bits));

    public static I32F32 operator *(I32F32 a, I32F32 b) =>
        CheckedMul(a, b) ?? throw new OverflowException($"I32F32 multiply overflow: {a} * {b}");

    public static I32F32 operator /(I32F32 a, I32F32 b)
    {
        if (b.Bits == 0)
        {
            throw new DivideByZeroException("I32F32 division by zero");
        }

        return CheckedDiv(a, b) ?? throw new OverflowException($"I32F32 divide overflow: {a} / {b}");
    }

    // ----- checked arithmetic (null on failure) -----

    public static I32F32? CheckedAdd(I32F32 a, I32F32 b)
    {
        var sum = a.Bits + b.Bits;
        return ((a.Bits ^ sum) & (b.Bits ^ sum)) < 0 ? null : new I32F32(sum);
    }

    public static I32F32? CheckedSub(I32F32 a, I32F32 b)
    {
        var diff = a.Bits - b.Bits;
        return ((a.Bits ^ b.Bits) & (a.Bits ^ diff)) < 0 ? null : new I32F32(diff);
    }

    /// <summary>floor(a*b / 2^32) or null when out of range.</summary>
    public static I32F32? CheckedMul(I32F32 a, I32F32 b)
    {
        return TryMul(a.Bits, b.Bits, out var product) ? new I32F32(product) : null;
    }

    /// <summary>trunc(a * 2^32 / b) or null on a zero divisor or when out of range.</summary>
    public static I32F32? CheckedDiv(I32F32 a, I32F32 b)
    {
        return Divide128.TryShiftDivide(a.Bits, b.Bits, out var quotient) ? new I32F32(quotient) : null;
    }

    // ----- saturating arithmetic -----

    public static I32F32 SaturatingAdd(I32F32 a, I32F32 b) =>
        CheckedAdd(a, b) ?? (b.Bits > 0 ? MaxValue : MinValue);

    public static I32F32 SaturatingSub(I32F32 a, I32F32 b) =>
        CheckedSub(a, b) ?? (b.Bits < 0 ? MaxValue : MinValue);

    public static I32F32 SaturatingMul(I32F32 a, I32F32 b) =>
        TryMul(a.Bits, b.Bits, out var product) ? new(product) : (a.Bits < 0) != (b.Bits < 0) ? MinValue : MaxValue;

    /// <summary>floor(a·b / 2^32) from the exact 128-bit product (high:low); it fits when the top 33 bits agree.</summary>
    private static bool TryMul(long a, long b, out long product)
    {
        var high = Math.BigMul(a, b, out var low);
        product = (high << FracBits) | (long)((ulong)low >> FracBits);
        var top = high >> (FracBits - 1);
        return top == 0 || top == -1;
    }

    /// <summary>The quotient clamped to the range; a zero divisor still throws, as in substrate-fixed.</summary>
    public static I32F32 SaturatingDiv(I32F32 a, I32F32 b)
    {
        if (b.Bits == 0)
        {
            throw new DivideByZeroException("I32F32 saturating division by zero");
        }

        if (Divide128.TryShiftDivide(a.Bits, b.Bits, out var quotient))
        {
            return new(quotient);
        }

        // Only an out-of-range quotient fails here; its sign is the sign of the exact result.
        return (a.Bits < 0) != (b.Bits < 0) ? MinValue : MaxValue;
    }

    /// <summary>subtensor's safe_div: a / b, or 0 when b is zero or the quotient overflows.</summary>
    public static I32F32 SafeDiv(I32F32 a, I32F32 b) => CheckedDiv(a, b) ?? Zero;

    // ----- rounding and conversion -----

    /// <summary>Round to nearest, ties away from zero; throws when the result does not fit.</summary>
    public I32F32 Round()
    {
        const long half = 1L << (FracBits - 1);
        const long mask = ~((1L << FracBits) - 1);
        if (Bits >= 0)
        {
            return new(checked(Bits + half) & mask);
        }

        return new(-(checked(-Bits + half) & mask));
    }

    /// <summary>Largest integer value not above this one (fraction bits cleared).</summary>
    public I32F32 Floor() => new(Bits & ~((1L << FracBits) - 1));

    /// <summary>floor, then clamped to [0, 65535].</summary>
    public ushort ToU16()
    {
        var floor = Bits >> FracBits;
        return floor <= 0 ? (ushort)0 : floor >= ushort.MaxValue ? ushort.MaxValue : (ushort)floor;
    }

    /// <summary>floor, then clamped to [0, 2^64 - 1].</summary>
    public ulong ToU64()
    {
        var floor = Bits >> FracBits;
        return floor <= 0 ? 0UL : (ulong)floor;
    }

    /// <summary>floor as a signed integer.</summary>
    public long ToInt64Floor() => Bits >> FracBits;

    /// <summary>fixed_proportion_to_u16: to_u16(saturating_mul(x, from_int(65535))).</summary>
    public ushort ToU16Proportion() => SaturatingMul(this, FromInt(ushort.MaxValue)).ToU16();

    public I64F64 ToI64F64() => I64F64.FromBits((Int128)Bits << FracBits);

    public I96F32 ToI96F32() => I96F32.FromBits(Bits);

    public I32F32 Abs() => Bits < 0 ? -this : this;

    public static I32F32 Min(I32F32 a, I32F32 b) => a.Bits <= b.Bits ? a : b;
    public static I32F32 Max(I32F32 a, I32F32 b) => a.Bits >= b.Bits ? a : b;
    public static I32F32 Clamp(I32F32 value, I32F32 lo, I32F32 hi) => value.Bits < lo.Bits ? lo : value.Bits > hi.Bits ? hi : value;

    // ----- comparison -----

    public static bool operator ==(I32F32 a, I32F32 b) => a.Bits == b.Bits;
    public static bool operator !=(I32F32 a, I32F32 b) => a.Bits != b.Bits;
    public static bool operator <(I32F32 a, I32F32 b) => a.Bits < b.Bits;
    public static bool operator >(I32F32 a, I32F32 b) => a.Bits > b.Bits;
    public static bool operator <=(I32F32 a, I32F32 b) => a.Bits <= b.Bits;
    public static bool operator >=(I32F32 a, I32F32 b) => a.Bits >= b.Bits;

    public bool Equals(I32F32 other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is I32F32 other && Equals(other);
    public override int GetHashCode() => Bits.GetHashCode();
    public int CompareTo(I32F32 other) => Bits.CompareTo(other.Bits);

    /// <summary>Exact decimal value.</summary>
    public override string ToString() => FixedWide.ToDecimalString(Bits, FracBits);
}
