using System.Buffers.Binary;
using Agora.Gauntlet.OpenSkill;

namespace Agora.Gauntlet.State;

/// <summary>
/// The validator's memory across windows (ratings, BMAs, miss counters, last evaluation) and its binary file format:
/// "AGVS", u16 version, u16 reserved, u64 last scored window + 1 (0 = none), u32 count, then per miner in UID order
/// u32 uid, f64 μ, f64 σ, f64 BMA, i32 misses, i64 last evaluated window, f64 sync, then (version 2) the 32-byte hotkey
/// the record belongs to, all zero when not known. Little-endian throughout. Version 1 files (no hotkey) still load.
/// </summary>
public sealed class ValidatorState
{
    public const ushort FormatVersion = 2;
    private const int HotkeySize = 32;
    private const int RecordSizeV1 = 4 + 8 + 8 + 8 + 4 + 8 + 8;
    private const int RecordSize = RecordSizeV1 + HotkeySize;
    private const int HeaderSize = 4 + 2 + 2 + 8 + 4;
    private static ReadOnlySpan<byte> Magic => "AGVS"u8;

    private readonly SortedDictionary<uint, MinerRecord> _miners = [];

    /// <summary>The last window scored, or null before the first.</summary>
    public ulong? LastWindow { get; set; }

    public IReadOnlyDictionary<uint, MinerRecord> Miners => _miners;

    public MinerRecord Get(uint uid, Rating initial) => _miners.TryGetValue(uid, out MinerRecord? record) ? record : MinerRecord.New(initial);

    public void Set(uint uid, MinerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Hotkey is { } hotkey && (hotkey.Length != 2 * HotkeySize || !hotkey.All(char.IsAsciiHexDigitLower) || !hotkey.Any(c => c != '0')))
        {
            throw new ArgumentException($"UID {uid}: the hotkey must be {2 * HotkeySize} lowercase hex digits (a 32-byte public key, not all zero), not \"{hotkey}\".", nameof(record));
        }

        _miners[uid] = record;
    }

    public byte[] Serialize()
    {
        var bytes = new byte[HeaderSize + (_miners.Count * RecordSize)];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], LastWindow is { } w ? w + 1 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)_miners.Count);
        int pos = HeaderSize;
        foreach ((uint uid, MinerRecord r) in _miners)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], uid);
            BinaryPrimitives.WriteDoubleLittleEndian(span[(pos + 4)..], r.Rating.Mu);
            BinaryPrimitives.WriteDoubleLittleEndian(span[(pos + 12)..], r.Rating.Sigma);
            BinaryPrimitives.WriteDoubleLittleEndian(span[(pos + 20)..], r.Bma);
            BinaryPrimitives.WriteInt32LittleEndian(span[(pos + 28)..], r.ConsecutiveMisses);
            BinaryPrimitives.WriteInt64LittleEndian(span[(pos + 32)..], r.LastEvaluatedWindow);
            BinaryPrimitives.WriteDoubleLittleEndian(span[(pos + 40)..], r.Sync);
            if (r.Hotkey is { } hotkey)
            {
                Convert.FromHexString(hotkey).CopyTo(span[(pos + RecordSizeV1)..]);
            }

            pos += RecordSize;
        }

        return bytes;
    }

    /// <summary>Reads a state file; any deviation throws <see cref="FormatException"/> naming the field.</summary>
    public static ValidatorState Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize || !bytes[..4].SequenceEqual(Magic))
        {
            throw new FormatException("Not a validator state file: it does not start with \"AGVS\".");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version is not (1 or FormatVersion))
        {
            throw new FormatException($"Validator state version {version} is not supported; this build reads versions 1 and {FormatVersion}.");
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]) != 0)
        {
            throw new FormatException("Validator state: the reserved field must be zero.");
        }

        ulong last = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]);
        int recordSize = version == 1 ? RecordSizeV1 : RecordSize;
        if ((long)bytes.Length != HeaderSize + ((long)count * recordSize))
        {
            throw new FormatException($"Validator state: {count} records need {HeaderSize + ((long)count * recordSize)} bytes, the file has {bytes.Length}.");
        }

        var state = new ValidatorState { LastWindow = last == 0 ? null : last - 1 };
        int pos = HeaderSize;
        long previous = -1;
        for (uint i = 0; i < count; i++)
        {
            uint uid = BinaryPrimitives.ReadUInt32LittleEndian(bytes[pos..]);
            ReadOnlySpan<byte> hotkey = version == 1 ? default : bytes.Slice(pos + RecordSizeV1, HotkeySize);
            if (uid <= previous)
            {
                throw new FormatException($"Validator state: record {i} has UID {uid}, records must be in strictly ascending UID order.");
            }

            var record = new MinerRecord
            {
                Rating = new Rating(BinaryPrimitives.ReadDoubleLittleEndian(bytes[(pos + 4)..]), BinaryPrimitives.ReadDoubleLittleEndian(bytes[(pos + 12)..])),
                Bma = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(pos + 20)..]),
                ConsecutiveMisses = BinaryPrimitives.ReadInt32LittleEndian(bytes[(pos + 28)..]),
                LastEvaluatedWindow = BinaryPrimitives.ReadInt64LittleEndian(bytes[(pos + 32)..]),
                Sync = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(pos + 40)..]),
                Hotkey = hotkey.ContainsAnyExcept((byte)0) ? Convert.ToHexStringLower(hotkey) : null,
            };
            if (!double.IsFinite(record.Rating.Mu) || !double.IsFinite(record.Rating.Sigma) || record.Rating.Sigma <= 0
                || !double.IsFinite(record.Bma) || Math.Abs(record.Bma) > 1 || record.ConsecutiveMisses < 0
                || record.LastEvaluatedWindow < -1 || !double.IsFinite(record.Sync) || record.Sync is < 0 or > 1)
            {
                throw new FormatException($"Validator state: record for UID {uid} holds out-of-range values.");
            }

            state._miners[uid] = record;
            previous = uid;
            pos += recordSize;
        }

        return state;
    }

    /// <summary>Writes atomically: to a temporary file first, then renamed over the target.</summary>
    public void Save(string path)
    {
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, Serialize());
        File.Move(temporary, path, overwrite: true);
    }

    public static ValidatorState Load(string path) => Deserialize(File.ReadAllBytes(path));
}
