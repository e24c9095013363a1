using Agora.Ledger.Storage;

namespace Agora.Node.Ledger;

public enum TxState
{
    /// <summary>The node has never seen it (or it was submitted before a restart and never made it into a block).</summary>
    Unknown,

    /// <summary>Admitted by CheckTx, waiting for a block.</summary>
    Pending,

    /// <summary>In a durable block; the receipt says whether it applied.</summary>
    Committed,

    /// <summary>Admitted, then failed the re-check after a block and was removed from the mempool.</summary>
    Dropped,
}

/// <summary>Where a transaction stands. <see cref="Receipt"/> is set only once its block is durable.</summary>
public sealed record TxStatus(TxState State, StoredReceipt? Receipt, string? Reason);

/// <summary>The transaction was not admitted; <see cref="Code"/> is the ledger's stable TxCode (or a node code below zero).</summary>
public sealed class TxSubmitException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
