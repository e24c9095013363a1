using Agora.Core.Serialization;
using Agora.Ledger.Blocks;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.App;

/// <summary>
/// The ABCI-shaped boundary of the ledger. A consensus engine (the solo producer now, CometBFT later) calls
/// <see cref="CheckTx"/> for mempool admission, <see cref="FinalizeBlock"/> to execute a proposed block and
/// <see cref="Commit"/> to make it the new committed state; everything else reads through <see cref="Query"/>.
/// No I/O and no clock: storage persists <see cref="Block.Encode"/> and <see cref="ExportSnapshot"/> and rebuilds
/// with <see cref="FromSnapshot"/> plus <see cref="ReplayBlock"/>. Not thread-safe: callers serialize access.
/// </summary>
public sealed class LedgerApp
{
    private LedgerState _committed;
    private LedgerState _check;
    private (LedgerState State, FinalizeBlockResult Result)? _pending;

    // Ids of transactions whose signature CheckTx has verified. An id is BLAKE2b-256 of the exact signed wire bytes
    // and the chain id is fixed per app, so FinalizeBlock may skip a second Ed25519 check for them; the set is a
    // cache only (lookups, never iterated) and never changes what a block computes.
    private readonly HashSet<Hash256> _verifiedSignatures = [];
    private const int MaxVerifiedSignatures = 100_000;

    private LedgerApp(LedgerState committed)
    {
        _committed = committed;
        _check = committed.Clone();
        StateRoot = StateCodec.Root(committed);
    }

    public static LedgerApp FromGenesis(GenesisConfig config) => new(Genesis.Build(config));

    /// <summary>Restores from <see cref="ExportSnapshot"/> bytes; throws <see cref="EncodingException"/> on any malformed input.</summary>
    public static LedgerApp FromSnapshot(ReadOnlySpan<byte> snapshot) => new(Snapshot.Decode(snapshot));

    public byte[] ExportSnapshot() => Snapshot.Encode(_committed);

    public string ChainId => _committed.ChainId;

    /// <summary>The genesis hash every transaction signature covers (see <see cref="Genesis.GenesisHash"/>).</summary>
    public Hash256 GenesisHash => _committed.GenesisHash;

    public ulong Height => _committed.Height;

    public ulong LastTimestamp => _committed.LastTimestamp;

    public Hash256 LastBlockHash => _committed.LastBlockHash;

    /// <summary>Root of the committed state.</summary>
    public Hash256 StateRoot { get; private set; }

    /// <summary>The committed state (read-only by contract).</summary>
    public LedgerState State => _committed;

    public LedgerQueries Query => new(_committed);

    /// <summary>
    /// Mempool admission: decode, signature over this chain id and genesis hash, then a trial execution (which also
    /// refuses a transaction whose valid-until height is below the next block's) against the committed
    /// state plus the transactions already admitted since the last commit (so consecutive nonces queue up).
    /// </summary>
    public CheckTxResult CheckTx(ReadOnlySpan<byte> txBytes)
    {
        var (code, message, id, tx) = DecodeAndVerify(txBytes, Hash256.Of(txBytes), _committed.ChainId, _committed.GenesisHash, alreadyVerified: false);
        if (tx is null)
        {
            return new CheckTxResult(code, message, id);
        }


        var trial = _check.Clone();
        var ctx = new BlockContext(_committed.Height + 1, _committed.LastTimestamp, AccountId.Zero);
        try
        {
            TxExecutor.Apply(trial, tx.Tx, ctx);
        }
        catch (TxRejectedException e)
        {
            return new CheckTxResult(e.Code, e.Message, id);
        }
        catch (OverflowException)
        {
            return new CheckTxResult(TxCode.Overflow, "The transaction would overflow an amount.", id);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException or DivideByZeroException)
        {
            return new CheckTxResult(TxCode.ExecutionFault, $"Internal fault while executing: {e.GetType().Name}: {e.Message}", id);
        }

        _check = trial;
        if (_verifiedSignatures.Count >= MaxVerifiedSignatures)
        {
            _verifiedSignatures.Clear();
        }

        _verifiedSignatures.Add(id);
        return new CheckTxResult(TxCode.Ok, "accepted", id);
    }

    /// <summary>
    /// Executes a block on a copy of the committed state: header checks (height = committed + 1, parent = last
    /// block hash, timestamp strictly later, size limits) reject the whole block with
    /// <see cref="BlockRejectedException"/>; then the block step, then every transaction in order, each either
    /// fully applied or failed with a receipt. The result is pending until <see cref="Commit"/>.
    /// </summary>
    public FinalizeBlockResult FinalizeBlock(BlockHeader header, IReadOnlyList<byte[]> txs)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(txs);
        ValidateHeader(header, txs);

        var state = _committed.Clone();
        var ctx = new BlockContext(header.Height, header.Timestamp, header.Producer);
        BlockProcessor.BeginBlock(state, ctx);
        var receipts = new List<TxReceipt>(txs.Count);
        for (var i = 0; i < txs.Count; i++)
        {
            var txId = Hash256.Of(txs[i]);
            var (code, message, id, tx) = DecodeAndVerify(txs[i], txId, state.ChainId, state.GenesisHash, _verifiedSignatures.Remove(txId));
            if (tx is not null)
            {
                var trial = state.Clone();
                try
                {
                    TxExecutor.Apply(trial, tx.Tx, ctx);
                    state = trial;
                    (code, message) = (TxCode.Ok, "applied");
                }
                catch (TxRejectedException e)
                {
                    (code, message) = (e.Code, e.Message);
                }
                catch (OverflowException)
                {
                    (code, message) = (TxCode.Overflow, "The transaction would overflow an amount.");
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException or DivideByZeroException)
                {
                    // A rule bug must not let one transaction halt the chain; the fault is deterministic, so every node agrees.
                    (code, message) = (TxCode.ExecutionFault, $"Internal fault while executing: {e.GetType().Name}: {e.Message}");
                }
            }

            receipts.Add(new TxReceipt(i, id, code, message));
        }

        var root = StateCodec.Root(state);
        var block = new Block(header, txs.ToArray(), root);
        var hash = block.Hash;
        state.LastBlockHash = hash;
        var result = new FinalizeBlockResult(block, hash, root, receipts);
        _pending = (state, result);
        return result;
    }

    /// <summary>Makes the last finalized block the committed state and returns its state root.</summary>
    public Hash256 Commit()
    {
        if (_pending is not { } p)
        {
            throw new InvalidOperationException("Commit called without a finalized block.");
        }

        _committed = p.State;
        StateRoot = p.Result.StateRoot;
        _check = _committed.Clone();
        _pending = null;
        return StateRoot;
    }

    /// <summary>Re-executes a stored block and commits it; rejects it whole if its recorded state root differs.</summary>
    public FinalizeBlockResult ReplayBlock(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var result = FinalizeBlock(block.Header, block.Transactions);
        if (result.StateRoot != block.StateRoot)
        {
            _pending = null;
            throw new BlockRejectedException($"Block {block.Header.Height} replays to state root {result.StateRoot.ToHex()} but records {block.StateRoot.ToHex()}.");
        }

        Commit();
        return result;
    }

    private void ValidateHeader(BlockHeader header, IReadOnlyList<byte[]> txs)
    {
        if (header.Height != _committed.Height + 1)
        {
            throw new BlockRejectedException($"Block height {header.Height} does not follow the committed height {_committed.Height}.");
        }

        if (header.ParentHash != _committed.LastBlockHash)
        {
            throw new BlockRejectedException($"Block {header.Height} names parent {header.ParentHash.ToHex()}, but the last block is {_committed.LastBlockHash.ToHex()}.");
        }

        if (header.Timestamp <= _committed.LastTimestamp)
        {
            throw new BlockRejectedException($"Block timestamp {header.Timestamp} is not after the previous {_committed.LastTimestamp}; timestamps must increase.");
        }

        if (txs.Count > Block.MaxTransactions)
        {
            throw new BlockRejectedException($"Block carries {txs.Count} transactions; the limit is {Block.MaxTransactions}.");
        }

        for (var i = 0; i < txs.Count; i++)
        {
            if (txs[i] is null || txs[i].Length > Block.MaxTransactionBytes)
            {
                throw new BlockRejectedException($"Transaction {i} is missing or larger than {Block.MaxTransactionBytes} bytes.");
            }
        }
    }

    private static (TxCode Code, string Message, Hash256 Id, SignedTransaction? Tx) DecodeAndVerify(ReadOnlySpan<byte> bytes, Hash256 id, string chainId, Hash256 genesisHash, bool alreadyVerified)
    {
        SignedTransaction tx;
        try
        {
            tx = SignedTransaction.Decode(bytes);
        }
        catch (EncodingException e)
        {
            return (TxCode.Malformed, $"Malformed transaction: {e.Message}", id, null);
        }

        if (alreadyVerified || tx.VerifySignature(chainId, genesisHash))
        {
            return (TxCode.Ok, string.Empty, id, tx);
        }

        // Name the reason when the key or signature can never verify (e.g. the all-zero account, a small-order point).
        var problem = Core.Crypto.Ed25519.PublicKeyProblem(tx.Tx.Signer.ToBytes()) ?? Core.Crypto.Ed25519.SignatureProblem(tx.Signature);
        return problem is not null
            ? (TxCode.BadSignature, $"Signer {tx.Tx.Signer} cannot sign: {problem}.", id, null)
            : (TxCode.BadSignature, $"The signature does not verify for signer {tx.Tx.Signer} on chain '{chainId}' (genesis {genesisHash.ToHex()}).", id, null);
    }
}
