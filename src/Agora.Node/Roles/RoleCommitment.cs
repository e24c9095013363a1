using System.Buffers.Binary;
using System.Text;

namespace Agora.Node.Roles;

/// <summary>
/// What a neuron puts on the commitment board. A miner: the window, the payload digest (BLAKE2b-256 of the payload body,
/// as the payload itself carries it), the sync sample of θ it started from, and where the payload lies (store URI + key).
/// A validator: the URI of the store it publishes selections, aggregates and checkpoints to; from version 2 on, the window
/// and BLAKE2b-256 digest of its newest regular checkpoint (the exact bytes in its store), which joiners count stake behind
/// (<see cref="PeerNetwork.VouchedCheckpointAsync"/>; an all-zero digest vouches for nothing); from version 3 on, the
/// window and BLAKE2b-256 digest of the selection bytes it published for each of its newest windows (at most
/// <see cref="MaxSelections"/>, windows strictly increasing), so that followers apply a lead's selection only when its
/// bytes are the ones it committed on the ledger (<see cref="PeerNetwork.TryGetCommittedSelectionAsync"/>): a lead can no
/// longer show different, validly signed selections to different peers.
/// Layout: "AGCM" ‖ version u8 (3) ‖ kind u8 ‖ window u64 ‖ digest (32) ‖ sample count u16 ‖ f32 × count ‖
/// store length u16 ‖ UTF-8 ‖ key length u16 ‖ UTF-8 ‖ (version 3 only) selection count u8 ‖ (window u64 ‖ digest (32)) × count;
/// all little-endian; at most 1 KiB. A miner's count is 0. Versions 1 and 2 end after the key and are still read (with
/// no selections: a follower never applies a selection such a validator publishes).
/// </summary>
public sealed record RoleCommitment(RoleKind Kind, ulong Window, byte[] Digest, float[] Sample, string Store, string Key)
{
    public const byte Version = 3;

    /// <summary>The most selection digests one commitment carries (the newest windows).</summary>
    public const int MaxSelections = 8;

    private const int SelectionEntryBytes = 8 + 32;

    /// <summary>(window, BLAKE2b-256 of the selection bytes) this validator published, oldest first; empty for a miner.</summary>
    public IReadOnlyList<(ulong Window, byte[] Digest)> Selections { get; init; } = [];

    public static RoleCommitment ForValidator(string store) => new(RoleKind.Validator, 0, new byte[32], [], store, "");

    /// <summary>A validator's commitment vouching for its checkpoint of θ at the start of <paramref name="checkpointWindow"/>.</summary>
    public static RoleCommitment ForValidator(string store, ulong checkpointWindow, byte[] checkpointDigest) =>
        new(RoleKind.Validator, checkpointWindow, checkpointDigest, [], store, "");

    /// <summary>
    /// A validator's version-3 commitment: its store, the checkpoint it vouches for (none: all zero) and the digests of
    /// the newest of <paramref name="selections"/> (oldest dropped first) that fit <see cref="MaxSelections"/> and
    /// <see cref="ICommitmentBoard.MaxDataBytes"/>.
    /// </summary>
    public static RoleCommitment ForValidator(string store, (ulong Window, byte[] Digest)? checkpoint, IEnumerable<(ulong Window, byte[] Digest)> selections)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(selections);
        var newest = selections.OrderBy(s => s.Window).DistinctBy(s => s.Window).ToList();
        var fixedBytes = 4 + 1 + 1 + 8 + 32 + 2 + 2 + Encoding.UTF8.GetByteCount(store) + 2 + 1;
        var fit = Math.Max(0, Math.Min(MaxSelections, (ICommitmentBoard.MaxDataBytes - fixedBytes) / SelectionEntryBytes));
        return new RoleCommitment(RoleKind.Validator, checkpoint?.Window ?? 0, checkpoint?.Digest ?? new byte[32], [], store, "")
        {
            Selections = newest.Skip(Math.Max(0, newest.Count - fit)).ToList(),
        };
    }

    /// <summary>The digest this validator committed for its selection of <paramref name="window"/>; null when it committed none.</summary>
    public byte[]? SelectionDigest(ulong window) =>
        Kind == RoleKind.Validator && Selections.FirstOrDefault(s => s.Window == window) is { Digest: { } d } ? d : null;

    /// <summary>The checkpoint (window, digest) a validator's commitment vouches for; null for a miner or an all-zero digest.</summary>
    public (ulong Window, byte[] Digest)? VouchedCheckpoint =>
        Kind == RoleKind.Validator && Digest.Length == 32 && Digest.AsSpan().IndexOfAnyExcept((byte)0) >= 0 ? (Window, Digest) : null;

    public byte[] Encode()
    {
        var store = Encoding.UTF8.GetBytes(Store);
        var key = Encoding.UTF8.GetBytes(Key);
        var bytes = new byte[4 + 1 + 1 + 8 + 32 + 2 + (4 * Sample.Length) + 2 + store.Length + 2 + key.Length + 1 + (SelectionEntryBytes * Selections.Count)];
        if (bytes.Length > ICommitmentBoard.MaxDataBytes || Digest.Length != 32)
        {
            throw new ArgumentException($"The commitment is {bytes.Length} bytes (limit {ICommitmentBoard.MaxDataBytes}) or its digest is not 32 bytes; use a shorter store URI or key.");
        }

        if (Selections.Count > MaxSelections || (Kind != RoleKind.Validator && Selections.Count > 0) || Selections.Any(e => e.Digest.Length != 32)
            || Selections.Zip(Selections.Skip(1)).Any(p => p.First.Window >= p.Second.Window))
        {
            throw new ArgumentException($"A commitment's selections are a validator's, at most {MaxSelections}, with 32-byte digests and strictly increasing windows.");
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
        pos += 2 + key.Length;
        s[pos++] = (byte)Selections.Count;
        foreach (var (window, digest) in Selections)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(s[pos..], window);
            digest.CopyTo(s[(pos + 8)..]);
            pos += SelectionEntryBytes;
        }

        return bytes;
    }

    /// <summary>Strict decode; null for anything that is not a well-formed version-1, -2 or -3 commitment (a version-3 one
    /// whose selections are more than <see cref="MaxSelections"/>, a miner's, or not in strictly increasing windows included).</summary>
    public static RoleCommitment? TryDecode(ReadOnlySpan<byte> s)
    {
        if (s.Length < 52 || !s[..4].SequenceEqual("AGCM"u8) || s[4] is not (1 or 2 or Version) || s[5] is not ((byte)RoleKind.Miner or (byte)RoleKind.Validator))
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

        if (ReadString(s, ref pos) is not { } store || ReadString(s, ref pos) is not { } key)
        {
            return null;
        }

        var selections = new List<(ulong, byte[])>();
        if (s[4] == Version)
        {
            if (s.Length < pos + 1 || s[pos] > MaxSelections || (s[pos] > 0 && s[5] != (byte)RoleKind.Validator) || s.Length < pos + 1 + (SelectionEntryBytes * s[pos]))
            {
                return null;
            }

            int entries = s[pos++];
            for (var i = 0; i < entries; i++, pos += SelectionEntryBytes)
            {
                var w = BinaryPrimitives.ReadUInt64LittleEndian(s[pos..]);
                if (selections.Count > 0 && w <= selections[^1].Item1)
                {
                    return null;
                }

                selections.Add((w, s.Slice(pos + 8, 32).ToArray()));
            }
        }

        if (pos != s.Length)
        {
            return null;
        }

        return new RoleCommitment((RoleKind)s[5], window, digest, sample, store, key) { Selections = selections };
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
