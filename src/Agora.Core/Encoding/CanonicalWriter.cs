// Namespace is Serialization (not Encoding) so it never shadows System.Text.Encoding inside Agora.Core.*.
using System.Buffers.Binary;
using System.Text;

namespace Agora.Core.Serialization;

/// <summary>
/// Canonical binary encoding: fixed-width little-endian integers, booleans as one byte (0 or 1),
/// variable-length data as a u32 little-endian length followed by the bytes. There is exactly one
/// encoding of every value, so hashes over encodings (transaction ids, state roots) are stable.
/// </summary>
public sealed class CanonicalWriter
{
    private byte[] _buffer;
    private int _length;

    public CanonicalWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length => _length;

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var next = Math.Max(_buffer.Length * 2, _length + count);
            Array.Resize(ref _buffer, next);
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public CanonicalWriter WriteU8(byte value)
    {
        Grow(1)[0] = value;
        return this;
    }

    public CanonicalWriter WriteBool(bool value) => WriteU8(value ? (byte)1 : (byte)0);

    public CanonicalWriter WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(Grow(2), value);
        return this;
    }

    public CanonicalWriter WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);
        return this;
    }

    public CanonicalWriter WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Grow(8), value);
        return this;
    }

    public CanonicalWriter WriteI64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Grow(8), value);
        return this;
    }

    public CanonicalWriter WriteU128(UInt128 value)
    {
        BinaryPrimitives.WriteUInt128LittleEndian(Grow(16), value);
        return this;
    }

    /// <summary>Bytes of a length both sides already know (keys, hashes, signatures): no prefix.</summary>
    public CanonicalWriter WriteFixed(ReadOnlySpan<byte> data)
    {
        data.CopyTo(Grow(data.Length));
        return this;
    }

    /// <summary>A u32 length prefix followed by the bytes.</summary>
    public CanonicalWriter WriteBytes(ReadOnlySpan<byte> data)
    {
        WriteU32((uint)data.Length);
        return WriteFixed(data);
    }

    /// <summary>UTF-8 bytes with a u32 length prefix.</summary>
    public CanonicalWriter WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteBytes(System.Text.Encoding.UTF8.GetBytes(value));
    }
}
