using Agora.Core.Serialization;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.Blocks;

/// <summary>
/// A finalized block: header, the transactions exactly as submitted (signed wire bytes, including ones that
/// failed) and the state root after applying it. Encoding: magic "AGBK", version u16, header, tx count u32,
/// each tx (u32 length, bytes), state root (32). Block hash = BLAKE2b-256(header ‖ tx root ‖ state root), where
/// tx root = BLAKE2b-256(u32 count ‖ each tx id).
/// </summary>
public sealed record Block(BlockHeader Header, IReadOnlyList<byte[]> Transactions, Hash256 StateRoot)
{
    public static ReadOnlySpan<byte> Magic => "AGBK"u8;
    public const ushort Version = 1;
    public const int MaxTransactions = 10_000;
    public const int MaxTransactionBytes = 8_192;

    public Hash256 TxRoot => ComputeTxRoot(Transactions);

    public Hash256 Hash
    {
        get
        {
            var w = new CanonicalWriter(128);
            Header.Encode(w);
            w.WriteHash(TxRoot).WriteHash(StateRoot);
            return Hash256.Of(w.WrittenSpan);
        }
    }

    public static Hash256 ComputeTxRoot(IReadOnlyList<byte[]> txs)
    {
        var w = new CanonicalWriter(32 * txs.Count + 4);
        w.WriteU32((uint)txs.Count);
        foreach (var tx in txs)
        {
            w.WriteHash(Hash256.Of(tx));
        }

        return Hash256.Of(w.WrittenSpan);
    }

    public byte[] Encode()
    {
        var w = new CanonicalWriter(256);
        w.WriteFixed(Magic).WriteU16(Version);
        Header.Encode(w);
        w.WriteU32((uint)Transactions.Count);
        foreach (var tx in Transactions)
        {
            w.WriteBytes(tx);
        }

        w.WriteHash(StateRoot);
        return w.ToArray();
    }

    public static Block Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        if (!r.ReadFixed(4, "magic").AsSpan().SequenceEqual(Magic))
        {
            throw new EncodingException("Not a block: the magic bytes are not 'AGBK'.");
        }

        var version = r.ReadU16("version");
        if (version != Version)
        {
            throw new EncodingException($"Block version {version} is not supported (expected {Version}).");
        }

        var header = BlockHeader.Decode(ref r);
        var n = r.ReadCount(MaxTransactions, "transactions");
        var txs = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            txs[i] = r.ReadBytes(MaxTransactionBytes, "transaction");
        }

        var root = r.ReadHash("state_root");
        r.EnsureEnd("block");
        return new Block(header, txs, root);
    }
}
