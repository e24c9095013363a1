using System.Collections.Immutable;
using Agora.Core.Crypto;
using Agora.Ledger.Transactions;

namespace Agora.Node.Roles;

/// <summary>The commitment board on the ledger itself: SetCommitment transactions, stored per (netuid, hotkey) with the block they landed in.</summary>
public sealed class LedgerCommitmentBoard(ISubnetLedger ledger) : ICommitmentBoard
{
    public Task PublishAsync(Ed25519KeyPair hotkey, ushort netuid, byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ledger.Submit(hotkey, new SetCommitmentBody(netuid, [.. data]));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BoardEntry>> ReadAsync(ushort netuid, CancellationToken cancellationToken = default) =>
        Task.FromResult(ledger.ArtifactCommitments(netuid));
}
