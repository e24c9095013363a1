using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.Storage;

/// <summary>A committed (durable) transaction outcome: where it landed and its code.</summary>
public sealed record StoredReceipt(Hash256 TxId, ulong Height, int Index, Hash256 BlockHash, TxCode Code, string Message)
{
    public bool Success => Code == TxCode.Ok;
}

/// <summary>A stored state snapshot: the state after block <see cref="Height"/>, with its root.</summary>
public sealed record StoredSnapshot(ulong Height, Hash256 StateRoot, byte[] Bytes);

/// <summary>Block columns kept beside the encoded bytes, so the chain can be checked without decoding.</summary>
public sealed record StoredBlockHeader(ulong Height, Hash256 Hash, Hash256 ParentHash, Hash256 StateRoot, ulong Timestamp);
