using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Agora.Core.Crypto;

namespace Agora.Node.Roles;

/// <summary>One payload a validator selected for aggregation, with where to fetch it.</summary>
public sealed record SelectedPayload(uint Uid, byte[] Hotkey, byte[] Digest, string Store, string Key)
{
    /// <summary>The payload a miner's commitment points at.</summary>
    public static SelectedPayload Of(NeuronView neuron, RoleCommitment commitment)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        ArgumentNullException.ThrowIfNull(commitment);
        return new(neuron.Uid, neuron.Hotkey, commitment.Digest, commitment.Store, commitment.Key);
    }
}

/// <summary>
/// The keys and formats of what a validator publishes to its store. Per window w: the selection (which payloads every
/// peer aggregates, in UID order) and the resulting aggregate; every K windows a checkpoint of θ at the start of a window.
/// Selection layout: "AGSE" ‖ version u8 (1) ‖ window u64 ‖ count u32 ‖ per entry: uid u32 ‖ hotkey (32) ‖ digest (32) ‖
/// store (u16 length, UTF-8) ‖ key (u16 length, UTF-8). Vectors are raw float32 little-endian. // (P)
/// <para>
/// Each object is signed by the validator's hotkey: beside KEY lies KEY.sig, an Ed25519 signature (64 bytes) over
/// "agora-publication/v1" ‖ netuid u16 LE ‖ key length u16 LE ‖ key (UTF-8) ‖ BLAKE2b-256(object). The signature is
/// written before the object, so a reader that finds an object without a matching signature treats it as not there yet.
/// </para>
/// <para>
/// A signature alone does not stop a lead from equivocating (overwriting its selection between two peers' reads, each
/// version validly signed), so the BLAKE2b-256 digest of each window's selection bytes also goes on the ledger, in the
/// validator's commitment (<see cref="RoleCommitment.Selections"/>, version 3). Followers apply a lead's selection only
/// when its digest is the committed one (<see cref="PeerNetwork.TryGetCommittedSelectionAsync"/>); otherwise, as for an
/// unsigned or late selection, they wait and fall back. Aggregates need no ledger digest (followers recompute them from
/// the selected payloads); checkpoints are vouched for in the same commitment.
/// </para>
/// </summary>
public static class Publication
{
    public const int MaxSelectionBytes = 1 << 20;

    public static string SignatureKey(string key) => key + ".sig";

    /// <summary>The bytes a validator signs for the object <paramref name="bytes"/> it publishes under <paramref name="key"/>.</summary>
    public static byte[] SigningMessage(ushort netuid, string key, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(key);
        var k = Encoding.UTF8.GetBytes(key);
        var domain = "agora-publication/v1"u8;
        var message = new byte[domain.Length + 2 + 2 + k.Length + Blake2b.DigestSize256];
        domain.CopyTo(message);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(domain.Length), netuid);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(domain.Length + 2), (ushort)k.Length);
        k.CopyTo(message, domain.Length + 4);
        Blake2b.Hash256(bytes).CopyTo(message, domain.Length + 4 + k.Length);
        return message;
    }

    public static byte[] Sign(Ed25519KeyPair hotkey, ushort netuid, string key, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(hotkey);
        return hotkey.Sign(SigningMessage(netuid, key, bytes));
    }

    public static bool Verify(ReadOnlySpan<byte> hotkey, ushort netuid, string key, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519KeyPair.SignatureSize && Ed25519.Verify(hotkey, SigningMessage(netuid, key, bytes), signature);

    public static string SelectionKey(ulong window) => $"windows/{window:D10}.sel";

    public static string AggregateKey(ulong window) => $"windows/{window:D10}.agg";

    public static string CheckpointKey(ulong window) => $"checkpoints/{window:D10}.theta";

    public const string CheckpointPrefix = "checkpoints/";

    public static string PayloadKey(ulong window, byte[] hotkey) => $"payloads/{window:D10}/{Convert.ToHexStringLower(hotkey)}.bin";

    public static ulong? CheckpointWindow(string key) =>
        key.StartsWith(CheckpointPrefix, StringComparison.Ordinal) && key.EndsWith(".theta", StringComparison.Ordinal)
        && ulong.TryParse(key.AsSpan(CheckpointPrefix.Length, key.Length - CheckpointPrefix.Length - 6), out var w) ? w : null;

    public static byte[] EncodeSelection(ulong window, IReadOnlyList<SelectedPayload> selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write("AGSE"u8);
        w.Write((byte)1);
        w.Write(window);
        w.Write((uint)selection.Count);
        foreach (var s in selection)
        {
            w.Write(s.Uid);
            w.Write(s.Hotkey);
            w.Write(s.Digest);
            WriteString(w, s.Store);
            WriteString(w, s.Key);
        }

        w.Flush();
        return ms.ToArray();
    }

    public static (ulong Window, IReadOnlyList<SelectedPayload> Selection) DecodeSelection(byte[] bytes)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (!r.ReadBytes(4).AsSpan().SequenceEqual("AGSE"u8) || r.ReadByte() != 1)
            {
                throw new InvalidDataException("Not a version-1 selection (magic AGSE).");
            }

            var window = r.ReadUInt64();
            var count = r.ReadUInt32();
            if (count > 65_536)
            {
                throw new InvalidDataException($"A selection of {count} payloads is implausible.");
            }

            var list = new List<SelectedPayload>();
            for (var i = 0; i < count; i++)
            {
                list.Add(new SelectedPayload(r.ReadUInt32(), Exact(r, 32), Exact(r, 32), ReadString(r), ReadString(r)));
            }

            if (r.BaseStream.Position != bytes.Length)
            {
                throw new InvalidDataException("Trailing bytes after the selection.");
            }

            return (window, list);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The selection is truncated.", e);
        }
    }

    /// <summary>The selection in <paramref name="bytes"/> if they decode and are for <paramref name="window"/>; otherwise null.</summary>
    public static IReadOnlyList<SelectedPayload>? TryDecodeSelection(byte[] bytes, ulong window)
    {
        try
        {
            var (w, selection) = DecodeSelection(bytes);
            return w == window ? selection : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    public static byte[] EncodeVector(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static float[] DecodeVector(byte[] bytes, int expectedLength)
    {
        if (bytes.Length != expectedLength * 4)
        {
            throw new InvalidDataException($"Expected {expectedLength} float32 values ({expectedLength * 4} bytes), got {bytes.Length} bytes.");
        }

        var values = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
            }
        }

        return values;
    }

    private static byte[] Exact(BinaryReader r, int n)
    {
        var b = r.ReadBytes(n);
        return b.Length == n ? b : throw new EndOfStreamException();
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write((ushort)b.Length);
        w.Write(b);
    }

    private static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(Exact(r, r.ReadUInt16()));
}
