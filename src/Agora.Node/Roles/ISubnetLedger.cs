using Agora.Core.Crypto;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;

namespace Agora.Node.Roles;

/// <summary>One neuron of a subnet as the roles need it; <see cref="Emission"/> is alpha (rao) earned in the last epoch;
/// <see cref="Coldkey"/> is the coldkey that owns the hotkey (null only where a source does not say).</summary>
public sealed record NeuronView(ushort Uid, byte[] Hotkey, ulong Stake, ushort Incentive, ushort Dividends, ulong Emission, bool ValidatorPermit, byte[]? Coldkey = null);

/// <summary>
/// Everything a miner or validator needs from the ledger, and nothing more: height, block hashes (evaluation seeds),
/// the subnet's neurons, balances, and a way to submit a signed transaction. Implemented in-process over a
/// <see cref="Ledger.LedgerNode"/> (<see cref="LocalSubnetLedger"/>) and over the node's JSON-RPC API.
/// </summary>
public interface ISubnetLedger
{
    string ChainId { get; }

    /// <summary>The chain's genesis hash, signed into every transaction and registration proof.</summary>
    Hash256 GenesisHash { get; }

    ulong Height { get; }

    /// <summary>The hash of the block at <paramref name="height"/>, or null when that block does not exist yet.</summary>
    byte[]? BlockHash(ulong height);

    IReadOnlyList<NeuronView> Neurons(ushort netuid);

    ulong Balance(byte[] account);

    /// <summary>The chain's current minimum transaction fee in rao, which <see cref="Submit"/> pays.</summary>
    ulong MinTxFee => 0;

    /// <summary>The subnet's SetCommitment entries (latest per hotkey, with the block each landed in), in hotkey order.</summary>
    IReadOnlyList<BoardEntry> ArtifactCommitments(ushort netuid);

    /// <summary>Signs <paramref name="body"/> with the signer's next nonce (valid for <see cref="Transaction.DefaultValidityBlocks"/> blocks)
    /// and admits it to the mempool; throws <see cref="LedgerRejectedException"/> when refused.</summary>
    void Submit(Ed25519KeyPair signer, TxBody body);
}

/// <summary>The ledger refused a transaction; <see cref="Code"/> is the ledger's stable code.</summary>
public sealed class LedgerRejectedException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
