using Agora.Ledger.Primitives;

namespace Agora.Ledger.Execution;

/// <summary>What a transaction may know about the block it runs in. <see cref="Producer"/> is informational: no rule may
/// credit it (fees are burned), since a default producer (the all-zero key) is an account nobody holds.</summary>
public readonly record struct BlockContext(ulong Height, ulong Timestamp, AccountId Producer);
