using Agora.Core.Crypto;

namespace Agora.Node.Roles;

/// <summary>A (netuid, hotkey) commitment as the ledger stores it: the latest data and the block it was set in.</summary>
public sealed record BoardEntry(byte[] Hotkey, byte[] Data, ulong Block);

/// <summary>
/// Where miners publish their per-window payload commitment and validators the location of their publications: at most
/// <see cref="MaxDataBytes"/> per (netuid, hotkey), the latest one wins, with the block it was set in. Meant to be the
/// ledger's SetCommitment transaction; <see cref="StoreCommitmentBoard"/> stands in for it until that lands.
/// </summary>
public interface ICommitmentBoard
{
    public const int MaxDataBytes = 1024;

    Task PublishAsync(Ed25519KeyPair hotkey, ushort netuid, byte[] data, CancellationToken cancellationToken = default);

    /// <summary>Every current commitment on the subnet, in hotkey byte order.</summary>
    Task<IReadOnlyList<BoardEntry>> ReadAsync(ushort netuid, CancellationToken cancellationToken = default);
}
