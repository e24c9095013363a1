using System.Buffers.Binary;
using Agora.Core.Addresses;

namespace Agora.Ledger.Primitives;

/// <summary>
/// A 32-byte Ed25519 public key used as a state-map key. Stored as four big-endian words so that
/// ordering is byte-lexicographic, which is what makes state iteration order canonical.
/// </summary>
public readonly struct AccountId : IEquatable<AccountId>, IComparable<AccountId>
{
    public const int Length = 32;
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    public AccountId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"An account id is {Length} bytes; got {bytes.Length}.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    public static AccountId Zero => default;

    public bool IsZero => (_a | _b | _c | _d) == 0;

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public string ToAddress() => Ss58Address.Encode(ToBytes());

    public static AccountId FromAddress(string address) => new(Ss58Address.Decode(address));

    public string ToHex() => Convert.ToHexString(ToBytes()).ToLowerInvariant();

    public bool Equals(AccountId other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is AccountId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    public int CompareTo(AccountId other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0) return c;
        c = _b.CompareTo(other._b);
        if (c != 0) return c;
        c = _c.CompareTo(other._c);
        return c != 0 ? c : _d.CompareTo(other._d);
    }

    public static bool operator ==(AccountId left, AccountId right) => left.Equals(right);

    public static bool operator !=(AccountId left, AccountId right) => !left.Equals(right);

    public static bool operator <(AccountId left, AccountId right) => left.CompareTo(right) < 0;

    public static bool operator >(AccountId left, AccountId right) => left.CompareTo(right) > 0;

    public static bool operator <=(AccountId left, AccountId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(AccountId left, AccountId right) => left.CompareTo(right) >= 0;

    public override string ToString() => ToAddress();
}
