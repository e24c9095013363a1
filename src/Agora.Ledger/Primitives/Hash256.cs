using Agora.Core.Crypto;

namespace Agora.Ledger.Primitives;

/// <summary>A 32-byte BLAKE2b-256 digest (block hashes, state roots, transaction ids, weight commits).</summary>
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    public const int Length = 32;
    private readonly AccountId _bits;

    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A hash is {Length} bytes; got {bytes.Length}.", nameof(bytes));
        }

        _bits = new AccountId(bytes);
    }

    public static Hash256 Zero => default;

    public static Hash256 Of(ReadOnlySpan<byte> data) => new(Blake2b.Hash256(data));

    public byte[] ToBytes() => _bits.ToBytes();

    public void WriteTo(Span<byte> destination) => _bits.WriteTo(destination);

    public string ToHex() => _bits.ToHex();

    public static Hash256 FromHex(string hex) => new(Convert.FromHexString(hex));

    public bool Equals(Hash256 other) => _bits.Equals(other._bits);

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    public override int GetHashCode() => _bits.GetHashCode();

    public int CompareTo(Hash256 other) => _bits.CompareTo(other._bits);

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;

    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;

    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;

    public override string ToString() => ToHex();
}
