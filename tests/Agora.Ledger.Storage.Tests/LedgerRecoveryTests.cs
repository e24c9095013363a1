using Microsoft.Data.Sqlite;

namespace Agora.Ledger.Storage.Tests;

public sealed class LedgerRecoveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-recovery-").FullName;

    private string DbPath => Path.Combine(_dir, "ledger.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private TestChain Build(int blocks, ulong snapshotEvery)
    {
        var chain = new TestChain();
        using var store = LedgerStore.Open(DbPath);
        LedgerRecovery.Recover(store, TestChain.Genesis());
        for (var i = 0; i < blocks; i++)
        {
            chain.Produce(store, transfers: 2, snapshotEvery: snapshotEvery);
        }

        return chain;
    }

    private void Sql(string sql, params (string, object)[] args)
    {
        using var db = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        cmd.ExecuteNonQuery();
    }

    private LedgerStorageException RecoverFails()
    {
        using var store = LedgerStore.Open(DbPath);
        return Assert.Throws<LedgerStorageException>(() => LedgerRecovery.Recover(store, TestChain.Genesis()));
    }

    [Fact]
    public void Recovery_resumes_from_the_newest_snapshot_and_replays_the_rest()
    {
        var chain = Build(blocks: 7, snapshotEvery: 3);
        using var store = LedgerStore.Open(DbPath);
        var recovered = LedgerRecovery.Recover(store, TestChain.Genesis());
        Assert.Equal(6UL, recovered.SnapshotHeight);
        Assert.Equal(1, recovered.ReplayedBlocks);
        Assert.Equal(chain.App.StateRoot, recovered.App.StateRoot);
        Assert.Equal(chain.App.LastBlockHash, recovered.App.LastBlockHash);
    }

    [Fact]
    public void Replay_from_genesis_reaches_the_same_state_as_the_snapshot_path()
    {
        var chain = Build(blocks: 5, snapshotEvery: 2);
        using var store = LedgerStore.Open(DbPath);
        var full = LedgerRecovery.Recover(store, TestChain.Genesis(), useSnapshots: false);
        Assert.Equal(5, full.ReplayedBlocks);
        Assert.Equal(chain.App.StateRoot, full.App.StateRoot);
    }

    [Fact]
    public void An_empty_database_recovers_to_genesis()
    {
        using var store = LedgerStore.Open(DbPath);
        var recovered = LedgerRecovery.Recover(store, TestChain.Genesis());
        Assert.Equal(0UL, recovered.App.Height);
        Assert.Equal(0, recovered.ReplayedBlocks);
    }

    [Fact]
    public void A_database_from_another_genesis_is_refused()
    {
        Build(blocks: 1, snapshotEvery: 0);
        using var store = LedgerStore.Open(DbPath);
        var e = Assert.Throws<LedgerStorageException>(() => LedgerRecovery.Recover(store, TestChain.Genesis("other-chain")));
        Assert.Contains("belongs to a chain with genesis", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_block_bytes_are_detected()
    {
        Build(blocks: 3, snapshotEvery: 0);
        Sql("UPDATE blocks SET bytes = CAST(substr(bytes, 1, length(bytes) - 1) || X'FF' AS BLOB) WHERE height = 2");
        Assert.Contains("block 2 hashes to", RecoverFails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_stored_as_text_is_detected()
    {
        Build(blocks: 2, snapshotEvery: 0);
        Sql("UPDATE blocks SET bytes = 'text' WHERE height = 2");
        Assert.Contains("not a blob", RecoverFails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Undecodable_block_bytes_are_detected()
    {
        Build(blocks: 2, snapshotEvery: 0);
        Sql("UPDATE blocks SET bytes = X'00010203' WHERE height = 1");
        Assert.Contains("block 1 does not decode", RecoverFails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_in_heights_is_detected()
    {
        Build(blocks: 3, snapshotEvery: 0);
        Sql("PRAGMA foreign_keys=OFF; DELETE FROM receipts WHERE height = 2; DELETE FROM txs WHERE height = 2; DELETE FROM blocks WHERE height = 2");
        Assert.Contains("block 2 is missing", RecoverFails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_whose_recorded_state_root_does_not_replay_is_detected()
    {
        // Rewrite block 2 consistently (bytes, hash, columns) but with a wrong state root: only replay can tell.
        var chain = Build(blocks: 2, snapshotEvery: 0);
        using (var store = LedgerStore.Open(DbPath))
        {
            var block = store.GetBlock(2)!;
            var forged = block with { StateRoot = Agora.Ledger.Primitives.Hash256.Of([42]) };
            Sql("UPDATE blocks SET bytes = $b, hash = $h, state_root = $r WHERE height = 2",
                ("$b", forged.Encode()), ("$h", forged.Hash.ToBytes()), ("$r", forged.StateRoot.ToBytes()));
        }

        Assert.Contains("block 2 does not replay", RecoverFails().Message, StringComparison.Ordinal);
        Assert.NotNull(chain);
    }

    [Fact]
    public void A_corrupt_snapshot_is_detected()
    {
        Build(blocks: 4, snapshotEvery: 2);
        Sql("UPDATE snapshots SET bytes = X'41475300' WHERE height = 4");
        Assert.Contains("snapshot at height 4 does not decode", RecoverFails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_from_another_height_is_detected()
    {
        Build(blocks: 4, snapshotEvery: 2);
        Sql("UPDATE snapshots SET bytes = (SELECT bytes FROM snapshots WHERE height = 2) WHERE height = 4");
        Assert.Contains("does not match its block", RecoverFails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_receipt_is_detected()
    {
        Build(blocks: 2, snapshotEvery: 0);
        Sql("DELETE FROM receipts WHERE height = 1 AND idx = 1");
        Assert.Contains("1 receipts", RecoverFails().Message, StringComparison.Ordinal);
    }
}
