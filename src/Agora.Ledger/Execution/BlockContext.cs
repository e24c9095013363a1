using Agora.Ledger.Primitives;

namespace Agora.Ledger.Execution;

/// <summary>What a transaction may know about the block it runs in.</summary>
public readonly record struct BlockContext(ulong Height, ulong Timestamp, AccountId Producer);
