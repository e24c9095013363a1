using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.Blocks;

/// <summary>Outcome of one transaction in a block: its id, a stable code (0 = applied) and a message for people.</summary>
public sealed record TxReceipt(int Index, Hash256 TxId, TxCode Code, string Message)
{
    public bool Success => Code == TxCode.Ok;
}
