using Agora.Core.Serialization;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.App;

/// <summary>
/// What storage persists to restart a node without replaying from genesis: magic "AGSN", version u16, the last
/// block hash and the genesis hash (neither is part of the state root), then the canonical state encoding (u32
/// length, bytes). Version 2 added the genesis hash; version 1 snapshots are refused (they predate version 2
/// transactions, so their chain's blocks do not replay either).
/// </summary>
public static class Snapshot
{
    public static ReadOnlySpan<byte> Magic => "AGSN"u8;
    public const ushort Version = 2;

    public static byte[] Encode(LedgerState state)
    {
        var body = StateCodec.Encode(state);
        var w = new CanonicalWriter(body.Length + 48);
        w.WriteFixed(Magic).WriteU16(Version).WriteHash(state.LastBlockHash).WriteHash(state.GenesisHash).WriteBytes(body);
        return w.ToArray();
    }

    public static LedgerState Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        if (!r.ReadFixed(4, "magic").AsSpan().SequenceEqual(Magic))
        {
            throw new EncodingException("Not a ledger snapshot: the magic bytes are not 'AGSN'.");
        }

        var version = r.ReadU16("version");
        if (version != Version)
        {
            throw new EncodingException($"Snapshot version {version} is not supported (expected {Version}).");
        }

        var last = r.ReadHash("last_block_hash");
        var genesis = r.ReadHash("genesis_hash");
        var state = StateCodec.Decode(r.ReadBytes(int.MaxValue, "state"));
        r.EnsureEnd("snapshot");
        state.LastBlockHash = last;
        state.GenesisHash = genesis;
        return state;
    }
}
