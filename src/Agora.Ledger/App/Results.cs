using Agora.Ledger.Blocks;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.App;

/// <summary>Mempool admission result. <see cref="TxId"/> is zero when the bytes did not decode.</summary>
public sealed record CheckTxResult(TxCode Code, string Message, Hash256 TxId)
{
    public bool Accepted => Code == TxCode.Ok;
}

/// <summary>The executed block (with its state root and hash) and one receipt per transaction, in order.</summary>
public sealed record FinalizeBlockResult(Block Block, Hash256 BlockHash, Hash256 StateRoot, IReadOnlyList<TxReceipt> Receipts);

/// <summary>A block as a whole is invalid (height, parent, timestamp, size, or a replayed root mismatch); nothing was applied.</summary>
public sealed class BlockRejectedException : Exception
{
    public BlockRejectedException(string message) : base(message)
    {
    }

    public BlockRejectedException()
    {
    }

    public BlockRejectedException(string message, Exception inner) : base(message, inner)
    {
    }
}
