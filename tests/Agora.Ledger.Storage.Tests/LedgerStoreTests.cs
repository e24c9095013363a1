using Agora.Ledger.App;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Microsoft.Data.Sqlite;

namespace Agora.Ledger.Storage.Tests;

public sealed class LedgerStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-store-").FullName;

    private string DbPath => Path.Combine(_dir, "ledger.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Appended_blocks_and_receipts_read_back_after_reopening()
    {
        var chain = new TestChain();
        FinalizeBlockResult second;
        using (var store = LedgerStore.Open(DbPath))
        {
            chain.Produce(store);
            second = chain.Produce(store, transfers: 3);
        }

        using var reopened = LedgerStore.Open(DbPath);
        Assert.Equal(2UL, reopened.Tip!.Height);
        Assert.Equal(second.BlockHash, reopened.Tip.Hash);
        var block = reopened.GetBlock(2)!;
        Assert.Equal(second.Block.Encode(), block.Encode());
        Assert.Equal(block, reopened.GetBlock(second.BlockHash)! with { Transactions = block.Transactions });
        var receipts = reopened.GetReceipts(2);
        Assert.Equal(3, receipts.Count);
        Assert.All(receipts, r => Assert.Equal(TxCode.Ok, r.Code));
        var receipt = reopened.GetReceipt(second.Receipts[1].TxId)!;
        Assert.Equal((2UL, 1, second.BlockHash), (receipt.Height, receipt.Index, receipt.BlockHash));
        Assert.Null(reopened.GetReceipt(Hash256.Of([9])));
    }

    [Fact]
    public void Failed_transactions_keep_their_receipt_code()
    {
        var chain = new TestChain();
        using var store = LedgerStore.Open(DbPath);
        var stale = chain.Transfer(5, nonce: 0);
        var header = new Agora.Ledger.Blocks.BlockHeader(1, chain.App.LastBlockHash, 2_000, AccountId.Zero);
        var result = chain.App.FinalizeBlock(header, [chain.Transfer(1), stale]);
        store.AppendBlock(result);
        Assert.Equal(TxCode.NonceStale, store.GetReceipts(1)[1].Code);
    }

    [Fact]
    public void A_block_that_does_not_extend_the_tip_is_refused_and_nothing_is_written()
    {
        var chain = new TestChain();
        using var store = LedgerStore.Open(DbPath);
        var first = chain.Produce(store);
        var e = Assert.Throws<InvalidOperationException>(() => store.AppendBlock(first));
        Assert.Contains("does not extend the stored tip", e.Message, StringComparison.Ordinal);
        Assert.Single(store.GetReceipts(1).Select(r => r.Height).Distinct());
        Assert.Equal(2, store.GetReceipts(1).Count);
    }

    [Fact]
    public void Snapshots_are_pruned_to_the_newest_few()
    {
        var chain = new TestChain();
        using var store = LedgerStore.Open(DbPath);
        for (var i = 0; i < 10; i++)
        {
            chain.Produce(store, transfers: 1, snapshotEvery: 2);
        }

        Assert.Equal([10UL, 8UL, 6UL], store.Snapshots().Select(s => s.Height));
    }

    [Fact]
    public void A_snapshot_whose_root_differs_from_its_block_is_refused()
    {
        var chain = new TestChain();
        using var store = LedgerStore.Open(DbPath);
        chain.Produce(store);
        Assert.Throws<InvalidOperationException>(() => store.SaveSnapshot(1, Hash256.Of([1]), chain.App.ExportSnapshot()));
        Assert.Throws<InvalidOperationException>(() => store.SaveSnapshot(5, chain.App.StateRoot, chain.App.ExportSnapshot()));
        Assert.Empty(store.Snapshots());
    }

    [Fact]
    public void The_database_uses_wal_with_full_sync()
    {
        using (LedgerStore.Open(DbPath))
        {
        }

        using var db = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    [Fact]
    public void A_file_that_is_not_sqlite_gives_a_clear_error()
    {
        File.WriteAllText(DbPath, new string('x', 4096));
        var e = Assert.Throws<LedgerStorageException>(() => LedgerStore.Open(DbPath));
        Assert.Contains("Could not open the ledger database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_from_a_newer_schema_is_refused()
    {
        using (LedgerStore.Open(DbPath))
        {
        }

        Sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        Assert.Contains("schema version 99", Assert.Throws<LedgerStorageException>(() => LedgerStore.Open(DbPath)).Message, StringComparison.Ordinal);
    }

    private void Sql(string sql)
    {
        using var db = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
