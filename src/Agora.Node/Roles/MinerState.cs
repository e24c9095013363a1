using System.Buffers.Binary;

namespace Agora.Node.Roles;

/// <summary>
/// What a miner needs to resume after a restart: θ, its error-feedback buffer, the next window to aggregate and the last
/// window it trained. File layout: "AGMS" ‖ version u8 (1) ‖ next aggregate u64 ‖ trained window + 1 u64 (0 = none) ‖
/// bytes uploaded u64 ‖ P u32 ‖ θ f32 × P ‖ e f32 × P, little-endian; written to a temporary file and renamed.
/// </summary>
public sealed class MinerState(float[] theta, float[] error)
{
    public float[] Theta { get; } = theta; // (P)

    public float[] Error { get; } = error; // (P)

    public ulong NextAggregate { get; set; }

    public ulong? TrainedWindow { get; set; }

    public ulong BytesUploaded { get; set; }

    public void Save(string path)
    {
        var p = Theta.Length;
        var bytes = new byte[4 + 1 + 8 + 8 + 8 + 4 + (8L * p)];
        var s = bytes.AsSpan();
        "AGMS"u8.CopyTo(s);
        s[4] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(s[5..], NextAggregate);
        BinaryPrimitives.WriteUInt64LittleEndian(s[13..], TrainedWindow is { } t ? t + 1 : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(s[21..], BytesUploaded);
        BinaryPrimitives.WriteUInt32LittleEndian(s[29..], (uint)p);
        Publication.EncodeVector(Theta).CopyTo(s[33..]);
        Publication.EncodeVector(Error).CopyTo(s[(33 + (4 * p))..]);
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    public static MinerState? TryLoad(string path, int parameterCount)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != 33 + (8L * parameterCount) || !bytes.AsSpan(0, 4).SequenceEqual("AGMS"u8) || bytes[4] != 1
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(29)) != (uint)parameterCount)
        {
            throw new InvalidDataException($"{path} is not a miner state for a model of {parameterCount} parameters; delete it to start over.");
        }

        var trained = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(13));
        return new MinerState(
            Publication.DecodeVector(bytes[33..(33 + (4 * parameterCount))], parameterCount),
            Publication.DecodeVector(bytes[(33 + (4 * parameterCount))..], parameterCount))
        {
            NextAggregate = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(5)),
            TrainedWindow = trained == 0 ? null : trained - 1,
            BytesUploaded = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(21)),
        };
    }
}
