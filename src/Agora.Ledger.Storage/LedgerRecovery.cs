using Agora.Core.Serialization;
using Agora.Ledger.App;

namespace Agora.Ledger.Storage;

/// <summary>The state a node resumes from, and how it got there (for logs and tests).</summary>
public sealed record RecoveredLedger(LedgerApp App, ulong SnapshotHeight, int ReplayedBlocks);

/// <summary>
/// Rebuilds the ledger state from storage on start: check that the database belongs to this genesis, verify the
/// whole stored chain, restore the newest snapshot (checked against its block), then replay every later block
/// through <see cref="LedgerApp.ReplayBlock"/>, which rejects any block whose recorded state root does not reproduce.
/// </summary>
public static class LedgerRecovery
{
    public const string GenesisHashKey = "genesis_hash";
    public const string ChainIdKey = "chain_id";

    public static RecoveredLedger Recover(LedgerStore store, GenesisConfig genesis, bool useSnapshots = true)
    {
        ArgumentNullException.ThrowIfNull(store);
        var app = LedgerApp.FromGenesis(genesis);
        var genesisHash = app.LastBlockHash;
        var recorded = store.GetMeta(GenesisHashKey);
        var tip = store.Tip;
        if (recorded is null)
        {
            if (tip is not null)
            {
                throw new LedgerStorageException($"{store.Path} holds blocks but no genesis hash; it was not written by an Agora node.");
            }

            store.SetMeta(GenesisHashKey, genesisHash.ToHex());
            store.SetMeta(ChainIdKey, app.ChainId);
        }
        else if (recorded != genesisHash.ToHex())
        {
            throw new LedgerStorageException(
                $"{store.Path} belongs to a chain with genesis {recorded} ('{store.GetMeta(ChainIdKey)}'), not this genesis {genesisHash.ToHex()} ('{app.ChainId}'). Use the genesis it was created with, or another --data directory.");
        }

        store.VerifyChain(genesisHash);

        ulong snapshotHeight = 0;
        if (useSnapshots && store.Snapshots() is [var snapshot, ..])
        {
            app = RestoreSnapshot(store, snapshot);
            snapshotHeight = snapshot.Height;
            if (app.GenesisHash != genesisHash)
            {
                // Transactions are verified against the snapshot's genesis hash: a wrong one would refuse every honest transaction.
                throw new LedgerStorageException($"{store.Path}: snapshot at height {snapshot.Height} names genesis {app.GenesisHash.ToHex()}, not {genesisHash.ToHex()}; the database is corrupt.");
            }
        }

        var replayed = 0;
        foreach (var block in store.ReadBlocks(snapshotHeight + 1))
        {
            try
            {
                app.ReplayBlock(block);
            }
            catch (BlockRejectedException e)
            {
                throw new LedgerStorageException($"{store.Path}: block {block.Header.Height} does not replay: {e.Message}", e);
            }

            replayed++;
        }

        if (tip is not null && (app.Height != tip.Height || app.StateRoot != tip.StateRoot || app.LastBlockHash != tip.Hash))
        {
            throw new LedgerStorageException($"{store.Path}: replay ended at height {app.Height} root {app.StateRoot.ToHex()}, but the stored tip is {tip.Height} root {tip.StateRoot.ToHex()}.");
        }

        return new RecoveredLedger(app, snapshotHeight, replayed);
    }

    private static LedgerApp RestoreSnapshot(LedgerStore store, StoredSnapshot snapshot)
    {
        var where = $"{store.Path}: snapshot at height {snapshot.Height}";
        LedgerApp app;
        try
        {
            app = LedgerApp.FromSnapshot(snapshot.Bytes);
        }
        catch (Exception e) when (e is EncodingException or ArgumentException or InvalidOperationException)
        {
            throw new LedgerStorageException($"{where} does not decode ({e.Message}); the database is corrupt.", e);
        }

        var header = store.GetHeader(snapshot.Height) ?? throw new LedgerStorageException($"{where} has no matching block.");
        if (app.Height != snapshot.Height || app.StateRoot != snapshot.StateRoot || app.StateRoot != header.StateRoot || app.LastBlockHash != header.Hash)
        {
            throw new LedgerStorageException($"{where} does not match its block (height {app.Height}, root {app.StateRoot.ToHex()} vs block root {header.StateRoot.ToHex()}); the database is corrupt.");
        }

        return app;
    }
}
