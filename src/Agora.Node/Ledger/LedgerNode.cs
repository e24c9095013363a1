using System.Collections.Concurrent;
using Agora.Ledger.App;
using Agora.Ledger.Blocks;
using Agora.Ledger.Primitives;
using Agora.Ledger.Storage;

namespace Agora.Node.Ledger;

/// <summary>
/// A solo block producer around <see cref="LedgerApp"/>: transactions enter a mempool through CheckTx, and every
/// block time the producer finalizes a block with the whole mempool (in arrival order), appends it durably to
/// the <see cref="LedgerStore"/> and only then commits it in memory and releases receipts to waiting clients.
/// So anything a client was told is committed survives a crash. One lock serializes all access to the app.
/// </summary>
public sealed class LedgerNode : IDisposable
{
    public const int MempoolFullCode = -32005;

    private readonly Lock _gate = new();
    private readonly LedgerStore _store;
    private readonly NodeOptions _options;
    private readonly TimeProvider _clock;
    private readonly LedgerApp _app;
    private readonly List<(Hash256 Id, byte[] Bytes)> _mempool = [];
    private readonly BoundedCache<Hash256, string> _dropped;
    private readonly ConcurrentDictionary<Hash256, TaskCompletionSource<TxStatus>> _waiters = new();
    private TaskCompletionSource<ulong> _nextBlock = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LedgerNode(LedgerStore store, RecoveredLedger recovered, Hash256 genesisHash, NodeOptions options, TimeProvider clock)
    {
        _store = store;
        _app = recovered.App;
        _options = options;
        _clock = clock;
        _dropped = new BoundedCache<Hash256, string>(options.MaxDroppedRemembered);
        GenesisHash = genesisHash;
        Recovery = recovered;
    }

    public Hash256 GenesisHash { get; }

    public RecoveredLedger Recovery { get; }

    public LedgerStore Store => _store;

    /// <summary>Opens (or creates) the node's database under <see cref="NodeOptions.DataDirectory"/> and recovers the state.</summary>
    public static LedgerNode Open(NodeOptions options, GenesisConfig genesis, TimeProvider? clock = null)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var store = LedgerStore.Open(Path.Combine(options.DataDirectory, "ledger.db"));
        try
        {
            var recovered = LedgerRecovery.Recover(store, genesis);
            var genesisHash = LedgerApp.FromGenesis(genesis).LastBlockHash;
            return new LedgerNode(store, recovered, genesisHash, options, clock ?? TimeProvider.System);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/> against the committed state under the node lock.</summary>
    public T Read<T>(Func<LedgerApp, T> read)
    {
        lock (_gate)
        {
            return read(_app);
        }
    }

    /// <summary>How many dropped transactions the node remembers (for get_receipt); at most <see cref="NodeOptions.MaxDroppedRemembered"/>.</summary>
    public int DroppedRemembered
    {
        get
        {
            lock (_gate)
            {
                return _dropped.Count;
            }
        }
    }

    public int MempoolSize
    {
        get
        {
            lock (_gate)
            {
                return _mempool.Count;
            }
        }
    }

    /// <summary>Admits a signed transaction or throws <see cref="TxSubmitException"/>; a rejected one changes nothing.</summary>
    public Hash256 Submit(byte[] tx)
    {
        lock (_gate)
        {
            if (_mempool.Count >= _options.MaxMempool)
            {
                throw new TxSubmitException(MempoolFullCode, $"The mempool is full ({_options.MaxMempool} transactions); retry after the next block.");
            }

            var result = _app.CheckTx(tx);
            if (!result.Accepted)
            {
                throw new TxSubmitException((int)result.Code, result.Message);
            }

            _mempool.Add((result.TxId, tx.ToArray()));
            _dropped.Remove(result.TxId);
            return result.TxId;
        }
    }

    public TxStatus GetStatus(Hash256 txId)
    {
        // Under the gate, so a block cannot move the transaction from the mempool to the store between the two looks.
        lock (_gate)
        {
            if (_store.GetReceipt(txId) is { } receipt)
            {
                return new TxStatus(TxState.Committed, receipt, null);
            }

            if (_mempool.Exists(m => m.Id == txId))
            {
                return new TxStatus(TxState.Pending, null, null);
            }

            return _dropped.TryGetValue(txId, out var reason) ? new TxStatus(TxState.Dropped, null, reason) : new TxStatus(TxState.Unknown, null, null);
        }
    }

    /// <summary>Completes when the transaction is in a durable block (or was dropped).</summary>
    public async Task<TxStatus> WaitForTxAsync(Hash256 txId, CancellationToken cancellationToken)
    {
        var waiter = _waiters.GetOrAdd(txId, _ => new TaskCompletionSource<TxStatus>(TaskCreationOptions.RunContinuationsAsynchronously));

        // The block may have landed between Submit and registering the waiter.
        var status = GetStatus(txId);
        if (status.State is TxState.Committed or TxState.Dropped or TxState.Unknown)
        {
            _waiters.TryRemove(txId, out _);
            return status;
        }

        return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes with the new height once a block above <paramref name="height"/> is durable.</summary>
    public async Task<ulong> WaitForBlockAboveAsync(ulong height, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<ulong> next;
            lock (_gate)
            {
                if (_app.Height > height)
                {
                    return _app.Height;
                }

                next = _nextBlock.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Produces one block from the mempool, persists it, commits it, then releases receipts.</summary>
    public FinalizeBlockResult ProduceBlock()
    {
        FinalizeBlockResult result;
        List<(Hash256 Id, string Reason)> dropped = [];
        TaskCompletionSource<ulong> notify;
        lock (_gate)
        {
            var take = Math.Min(_mempool.Count, Block.MaxTransactions);
            var txs = _mempool.Take(take).Select(m => m.Bytes).ToArray();
            var now = (ulong)Math.Max(0, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            var header = new BlockHeader(_app.Height + 1, _app.LastBlockHash, Math.Max(now, _app.LastTimestamp + 1), _options.Producer);
            result = _app.FinalizeBlock(header, txs);

            // Durable first: if this throws, nothing is committed and the mempool is intact for the next attempt.
            _store.AppendBlock(result);
            _app.Commit();
            _mempool.RemoveRange(0, take);

            // CheckTx state was reset by Commit; re-admit what is left, in order, dropping what no longer fits.
            var leftover = _mempool.ToArray();
            _mempool.Clear();
            foreach (var (id, bytes) in leftover)
            {
                var check = _app.CheckTx(bytes);
                if (check.Accepted)
                {
                    _mempool.Add((id, bytes));
                }
                else
                {
                    _dropped.Set(id, check.Message);
                    dropped.Add((id, check.Message));
                }
            }

            if (_options.SnapshotEvery > 0 && _app.Height % _options.SnapshotEvery == 0)
            {
                _store.SaveSnapshot(_app.Height, _app.StateRoot, _app.ExportSnapshot());
            }

            notify = _nextBlock;
            _nextBlock = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var height = result.Block.Header.Height;
        foreach (var receipt in result.Receipts)
        {
            if (_waiters.TryRemove(receipt.TxId, out var waiter))
            {
                waiter.TrySetResult(new TxStatus(TxState.Committed, new StoredReceipt(receipt.TxId, height, receipt.Index, result.BlockHash, receipt.Code, receipt.Message), null));
            }
        }

        foreach (var (id, reason) in dropped)
        {
            if (_waiters.TryRemove(id, out var waiter))
            {
                waiter.TrySetResult(new TxStatus(TxState.Dropped, null, reason));
            }
        }

        notify.TrySetResult(height);
        return result;
    }

    /// <summary>Produces a block every <see cref="NodeOptions.BlockTime"/> until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.BlockTime, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                ProduceBlock();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        foreach (var waiter in _waiters.Values)
        {
            waiter.TrySetCanceled();
        }

        _store.Dispose();
    }
}
