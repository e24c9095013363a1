using System.Buffers.Binary;
using System.Text;

namespace Agora.Node.Roles;

/// <summary>
/// What a neuron puts on the commitment board. A miner: the window, the payload digest (BLAKE2b-256 of the payload body,
/// as the payload itself carries it), the sync sample of θ it started from, and where the payload lies (store URI + key).
/// A validator: the URI of the store it publishes selections, aggregates and checkpoints to and, from version 2 on,
/// the window and BLAKE2b-256 digest of its newest checkpoint (the exact bytes in its store), which joiners count
/// stake behind (<see cref="PeerNetwork.VouchedCheckpointAsync"/>); an all-zero digest vouches for nothing.
/// Version 1 has the same layout; it is still read (a version-1 validator's zero digest vouches for nothing).
/// Layout: "AGCM" ‖ version u8 (2) ‖ kind u8 ‖ window u64 ‖ digest (32) ‖ sample count u16 ‖ f32 × count ‖
/// store length u16 ‖ UTF-8 ‖ key length u16 ‖ UTF-8; all little-endian; at most 1 KiB.
/// </summary>
public sealed record RoleCommitment(RoleKind Kind, ulong Window, byte[] Digest, float[] Sample, string Store, string Key)
{
    public const byte Version = 2;

    public static RoleCommitment ForValidator(string store) => new(RoleKind.Validator, 0, new byte[32], [], store, "");

    /// <summary>A validator's commitment vouching for its checkpoint of θ at the start of <paramref name="checkpointWindow"/>.</summary>
    public static RoleCommitment ForValidator(string store, ulong checkpointWindow, byte[] checkpointDigest) =>
        new(RoleKind.Validator, checkpointWindow, checkpointDigest, [], store, "");

    /// <summary>The checkpoint (window, digest) a validator's commitment vouches for; null for a miner or an all-zero digest.</summary>
    public (ulong Window, byte[] Digest)? VouchedCheckpoint =>
        Kind == RoleKind.Validator && Digest.Length == 32 && Digest.AsSpan().IndexOfAnyExcept((byte)0) >= 0 ? (Window, Digest) : null;

    public byte[] Encode()
    {
        var store = Encoding.UTF8.GetBytes(Store);
        var key = Encoding.UTF8.GetBytes(Key);
        var bytes = new byte[4 + 1 + 1 + 8 + 32 + 2 + (4 * Sample.Length) + 2 + store.Length + 2 + key.Length];
        if (bytes.Length > ICommitmentBoard.MaxDataBytes || Digest.Length != 32)
        {
            throw new ArgumentException($"The commitment is {bytes.Length} bytes (limit {ICommitmentBoard.MaxDataBytes}) or its digest is not 32 bytes; use a shorter store URI or key.");
        }

        var s = bytes.AsSpan();
        "AGCM"u8.CopyTo(s);
        s[4] = Version;
        s[5] = (byte)Kind;
        BinaryPrimitives.WriteUInt64LittleEndian(s[6..], Window);
        Digest.CopyTo(s[14..]);
        BinaryPrimitives.WriteUInt16LittleEndian(s[46..], (ushort)Sample.Length);
        var pos = 48;
        foreach (var v in Sample)
        {
            BinaryPrimitives.WriteSingleLittleEndian(s[pos..], v);
            pos += 4;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(s[pos..], (ushort)store.Length);
        store.CopyTo(s[(pos + 2)..]);
        pos += 2 + store.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(s[pos..], (ushort)key.Length);
        key.CopyTo(s[(pos + 2)..]);
        return bytes;
    }

    /// <summary>Strict decode; null for anything that is not a well-formed version-1 or version-2 commitment.</summary>
    public static RoleCommitment? TryDecode(ReadOnlySpan<byte> s)
    {
        if (s.Length < 52 || !s[..4].SequenceEqual("AGCM"u8) || s[4] is not (1 or Version) || s[5] is not ((byte)RoleKind.Miner or (byte)RoleKind.Validator))
        {
            return null;
        }

        var window = BinaryPrimitives.ReadUInt64LittleEndian(s[6..]);
        var digest = s.Slice(14, 32).ToArray();
        int count = BinaryPrimitives.ReadUInt16LittleEndian(s[46..]);
        var pos = 48;
        if (s.Length < pos + (4 * count) + 4)
        {
            return null;
        }

        var sample = new float[count];
        for (var i = 0; i < count; i++, pos += 4)
        {
            sample[i] = BinaryPrimitives.ReadSingleLittleEndian(s[pos..]);
        }

        if (ReadString(s, ref pos) is not { } store || ReadString(s, ref pos) is not { } key || pos != s.Length)
        {
            return null;
        }

        return new RoleCommitment((RoleKind)s[5], window, digest, sample, store, key);
    }

    private static string? ReadString(ReadOnlySpan<byte> s, ref int pos)
    {
        if (s.Length < pos + 2)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(s[pos..]);
        if (s.Length < pos + 2 + length)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(s.Slice(pos + 2, length));
        pos += 2 + length;
        return text;
    }
}

public enum RoleKind : byte
{
    Miner = 1,
    Validator = 2,
}
