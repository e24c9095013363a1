using System.Buffers.Binary;

namespace Agora.Core.Serialization;

/// <summary>
/// Strict reader for <see cref="CanonicalWriter"/> output. Short data, over-long length prefixes,
/// booleans other than 0/1, invalid UTF-8 and (through <see cref="EnsureEnd"/>) trailing bytes are all
/// rejected with an <see cref="EncodingException"/> that names the field and offset.
/// </summary>
public ref struct CanonicalReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public CanonicalReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
    }

    public readonly int Offset => _offset;

    public readonly int Remaining => _data.Length - _offset;

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > Remaining)
        {
            throw new EncodingException($"Data ends early: '{field}' needs {count} byte(s) at offset {_offset} but only {Remaining} remain.");
        }

        var span = _data.Slice(_offset, count);
        _offset += count;
        return span;
    }

    public byte ReadU8(string field = "u8") => Take(1, field)[0];

    public bool ReadBool(string field = "bool")
    {
        var b = ReadU8(field);
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new EncodingException($"'{field}' at offset {_offset - 1} is {b}; a canonical boolean is 0 or 1."),
        };
    }

    public ushort ReadU16(string field = "u16") => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    public uint ReadU32(string field = "u32") => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public ulong ReadU64(string field = "u64") => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    public long ReadI64(string field = "i64") => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    public UInt128 ReadU128(string field = "u128") => BinaryPrimitives.ReadUInt128LittleEndian(Take(16, field));

    public byte[] ReadFixed(int count, string field = "bytes") => Take(count, field).ToArray();

    /// <summary>A u32 length prefix then the bytes; a prefix above <paramref name="maxLength"/> is rejected before any allocation.</summary>
    public byte[] ReadBytes(int maxLength, string field = "bytes")
    {
        var length = ReadU32(field + ".length");
        if (length > (uint)maxLength)
        {
            throw new EncodingException($"'{field}' declares {length} bytes; the limit is {maxLength}.");
        }

        return Take((int)length, field).ToArray();
    }

    /// <summary>A count prefix for a list whose elements are read by the caller; bounded like <see cref="ReadBytes"/>.</summary>
    public int ReadCount(int maxCount, string field = "count")
    {
        var count = ReadU32(field);
        if (count > (uint)maxCount)
        {
            throw new EncodingException($"'{field}' declares {count} elements; the limit is {maxCount}.");
        }

        return (int)count;
    }

    public string ReadString(int maxBytes, string field = "string")
    {
        var bytes = ReadBytes(maxBytes, field);
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new EncodingException($"'{field}' is not valid UTF-8.", e);
        }
    }

    /// <summary>Rejects trailing bytes: a canonical value is the whole input, nothing more.</summary>
    public readonly void EnsureEnd(string what = "value")
    {
        if (Remaining != 0)
        {
            throw new EncodingException($"{Remaining} trailing byte(s) after the {what} at offset {_offset}.");
        }
    }
}
