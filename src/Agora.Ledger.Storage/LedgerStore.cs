using Agora.Ledger.App;
using Agora.Ledger.Blocks;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Microsoft.Data.Sqlite;

namespace Agora.Ledger.Storage;

/// <summary>
/// The node's durable chain in one SQLite file (WAL, synchronous=FULL): blocks, their transactions and receipts,
/// periodic state snapshots and a small meta table. A block with its transactions and receipts is written in one
/// SQLite transaction, so after a crash a block is either wholly present or absent; once <see cref="AppendBlock"/>
/// returns, the block survives power loss. Thread-safe: every call takes one lock (SQLite connections are not).
/// </summary>
public sealed class LedgerStore : IDisposable
{
    public const int SchemaVersion = 1;

    /// <summary>How many snapshots to keep; older ones are deleted when a new one is saved.</summary>
    public const int SnapshotsKept = 3;

    private static readonly Lazy<bool> SqliteInit = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    // Microsoft.Data.Sqlite requires every command inside a transaction to name it.
    private SqliteTransaction? _activeTransaction;

    private LedgerStore(string path, SqliteConnection db)
    {
        Path = path;
        _db = db;
    }

    public string Path { get; }

    /// <summary>Opens (creating if absent) the database at <paramref name="path"/> and checks its schema version.</summary>
    public static LedgerStore Open(string path)
    {
        _ = SqliteInit.Value;
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            db.Open();
            Exec(db, "PRAGMA journal_mode=WAL;");
            Exec(db, "PRAGMA synchronous=FULL;");
            Exec(db, "PRAGMA foreign_keys=ON;");
            var store = new LedgerStore(full, db);
            store.EnsureSchema();
            return store;
        }
        catch (SqliteException e)
        {
            db.Dispose();
            throw new LedgerStorageException($"Could not open the ledger database {full}: {e.Message}. If the file is damaged, move it away and resync or restore a backup.", e);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _db.Dispose();
        }
    }

    /// <summary>The newest stored block's columns, or null for an empty chain.</summary>
    public StoredBlockHeader? Tip
    {
        get
        {
            lock (_lock)
            {
                using var cmd = Command("SELECT height, hash, parent, state_root, timestamp FROM blocks ORDER BY height DESC LIMIT 1");
                using var reader = cmd.ExecuteReader();
                return reader.Read() ? ReadHeader(reader) : null;
            }
        }
    }

    public string? GetMeta(string key)
    {
        lock (_lock)
        {
            using var cmd = Command("SELECT value FROM meta WHERE key = $k", ("$k", key));
            return cmd.ExecuteScalar() as string;
        }
    }

    public void SetMeta(string key, string value)
    {
        lock (_lock)
        {
            using var cmd = Command("INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", ("$k", key), ("$v", value));
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Durably appends a finalized block with its transactions and receipts, all in one transaction. The block must
    /// follow the tip (height + 1, parent = tip hash); for the first block the caller has checked the parent against genesis.
    /// </summary>
    public void AppendBlock(FinalizeBlockResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var block = result.Block;
        var header = block.Header;
        if (result.Receipts.Count != block.Transactions.Count)
        {
            throw new ArgumentException($"Block {header.Height} has {block.Transactions.Count} transactions but {result.Receipts.Count} receipts.", nameof(result));
        }

        lock (_lock)
        {
            using var tx = Begin();
            using (var tipCmd = Command("SELECT height, hash FROM blocks ORDER BY height DESC LIMIT 1"))
            using (var reader = tipCmd.ExecuteReader())
            {
                if (reader.Read())
                {
                    var tipHeight = (ulong)reader.GetInt64(0);
                    var tipHash = new Hash256((byte[])reader[1]);
                    if (header.Height != tipHeight + 1 || header.ParentHash != tipHash)
                    {
                        throw new InvalidOperationException($"Block {header.Height} (parent {header.ParentHash.ToHex()}) does not extend the stored tip {tipHeight} ({tipHash.ToHex()}).");
                    }
                }
                else if (header.Height != 1)
                {
                    throw new InvalidOperationException($"The first stored block must have height 1, got {header.Height}.");
                }
            }

            using (var insert = Command(
                "INSERT INTO blocks(height, hash, parent, state_root, timestamp, tx_count, bytes) VALUES($h, $hash, $parent, $root, $ts, $n, $bytes)",
                ("$h", checked((long)header.Height)),
                ("$hash", result.BlockHash.ToBytes()),
                ("$parent", header.ParentHash.ToBytes()),
                ("$root", result.StateRoot.ToBytes()),
                ("$ts", checked((long)header.Timestamp)),
                ("$n", block.Transactions.Count),
                ("$bytes", block.Encode())))
            {
                insert.ExecuteNonQuery();
            }

            using (var insertTx = Command("INSERT INTO txs(height, idx, id, bytes) VALUES($h, $i, $id, $bytes)"))
            using (var insertReceipt = Command("INSERT INTO receipts(height, idx, tx_id, code, message) VALUES($h, $i, $id, $code, $msg)"))
            {
                for (var i = 0; i < block.Transactions.Count; i++)
                {
                    var receipt = result.Receipts[i];
                    Bind(insertTx, ("$h", (long)header.Height), ("$i", i), ("$id", receipt.TxId.ToBytes()), ("$bytes", block.Transactions[i]));
                    insertTx.ExecuteNonQuery();
                    Bind(insertReceipt, ("$h", (long)header.Height), ("$i", i), ("$id", receipt.TxId.ToBytes()), ("$code", (int)receipt.Code), ("$msg", receipt.Message));
                    insertReceipt.ExecuteNonQuery();
                }
            }

            tx.Commit();
        }
    }

    /// <summary>Stores the state after block <paramref name="height"/> (which must be stored) and prunes old snapshots.</summary>
    public void SaveSnapshot(ulong height, Hash256 stateRoot, byte[] bytes)
    {
        lock (_lock)
        {
            using var tx = Begin();
            using (var check = Command("SELECT state_root FROM blocks WHERE height = $h", ("$h", (long)height)))
            {
                var root = check.ExecuteScalar() as byte[] ?? throw new InvalidOperationException($"Cannot snapshot height {height}: no such block is stored.");
                if (new Hash256(root) != stateRoot)
                {
                    throw new InvalidOperationException($"Snapshot root {stateRoot.ToHex()} differs from block {height}'s state root {new Hash256(root).ToHex()}.");
                }
            }

            using (var insert = Command("INSERT OR REPLACE INTO snapshots(height, state_root, bytes) VALUES($h, $root, $bytes)", ("$h", (long)height), ("$root", stateRoot.ToBytes()), ("$bytes", bytes)))
            {
                insert.ExecuteNonQuery();
            }

            using (var prune = Command($"DELETE FROM snapshots WHERE height NOT IN (SELECT height FROM snapshots ORDER BY height DESC LIMIT {SnapshotsKept})"))
            {
                prune.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    /// <summary>Stored snapshots, newest first.</summary>
    public IReadOnlyList<StoredSnapshot> Snapshots()
    {
        lock (_lock)
        {
            using var cmd = Command("SELECT height, state_root, bytes FROM snapshots ORDER BY height DESC");
            using var reader = cmd.ExecuteReader();
            var list = new List<StoredSnapshot>();
            while (reader.Read())
            {
                list.Add(new StoredSnapshot((ulong)reader.GetInt64(0), new Hash256((byte[])reader[1]), (byte[])reader[2]));
            }

            return list;
        }
    }

    public Block? GetBlock(ulong height)
    {
        lock (_lock)
        {
            using var cmd = Command("SELECT bytes FROM blocks WHERE height = $h", ("$h", checked((long)height)));
            return cmd.ExecuteScalar() switch
            {
                null => null,
                byte[] bytes => DecodeBlock(height, bytes),
                _ => throw new LedgerStorageException($"{Path}: block {height} is not stored as a blob; the database is corrupt."),
            };
        }
    }

    public Block? GetBlock(Hash256 hash)
    {
        lock (_lock)
        {
            using var cmd = Command("SELECT height, bytes FROM blocks WHERE hash = $hash", ("$hash", hash.ToBytes()));
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? DecodeBlock((ulong)reader.GetInt64(0), (byte[])reader[1]) : null;
        }
    }

    public StoredBlockHeader? GetHeader(ulong height)
    {
        lock (_lock)
        {
            using var cmd = Command("SELECT height, hash, parent, state_root, timestamp FROM blocks WHERE height = $h", ("$h", checked((long)height)));
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? ReadHeader(reader) : null;
        }
    }

    /// <summary>The receipts of block <paramref name="height"/>, in transaction order.</summary>
    public IReadOnlyList<StoredReceipt> GetReceipts(ulong height)
    {
        lock (_lock)
        {
            using var cmd = Command(
                "SELECT r.tx_id, r.height, r.idx, b.hash, r.code, r.message FROM receipts r JOIN blocks b ON b.height = r.height WHERE r.height = $h ORDER BY r.idx",
                ("$h", checked((long)height)));
            return ReadReceipts(cmd);
        }
    }

    /// <summary>The committed receipt of a transaction id (its first inclusion), or null if no stored block holds it.</summary>
    public StoredReceipt? GetReceipt(Hash256 txId)
    {
        lock (_lock)
        {
            using var cmd = Command(
                "SELECT r.tx_id, r.height, r.idx, b.hash, r.code, r.message FROM receipts r JOIN blocks b ON b.height = r.height WHERE r.tx_id = $id ORDER BY r.height, r.idx LIMIT 1",
                ("$id", txId.ToBytes()));
            return ReadReceipts(cmd) is [var first, ..] ? first : null;
        }
    }

    /// <summary>Blocks from <paramref name="fromHeight"/> upward, decoded, in height order, read in pages.</summary>
    public IEnumerable<Block> ReadBlocks(ulong fromHeight)
    {
        var next = fromHeight;
        while (true)
        {
            var page = new List<(ulong Height, byte[] Bytes)>();
            lock (_lock)
            {
                using var cmd = Command("SELECT height, bytes FROM blocks WHERE height >= $h ORDER BY height LIMIT 256", ("$h", checked((long)next)));
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    page.Add(((ulong)reader.GetInt64(0), (byte[])reader[1]));
                }
            }

            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var (height, bytes) in page)
            {
                yield return DecodeBlock(height, bytes);
            }

            next = page[^1].Height + 1;
        }
    }

    /// <summary>
    /// Checks the whole stored chain: heights 1..tip without gaps, each block decodes, its hash, parent, state root and
    /// timestamp match the indexed columns, each parent is the previous block's hash (block 1's is <paramref name="genesisHash"/>),
    /// and each block's receipts line up with its transactions. Throws <see cref="LedgerStorageException"/> on the first problem.
    /// </summary>
    public void VerifyChain(Hash256 genesisHash)
    {
        var expectedParent = genesisHash;
        ulong expectedHeight = 1;
        foreach (var (header, bytes, txCount, receiptCount) in ReadAllForVerification())
        {
            var where = $"{Path}: block {header.Height}";
            if (header.Height != expectedHeight)
            {
                throw new LedgerStorageException($"{Path}: block {expectedHeight} is missing (the next stored block is {header.Height}); the chain has a gap.");
            }

            var block = DecodeBlock(header.Height, bytes);
            if (block.Header.Height != header.Height)
            {
                throw new LedgerStorageException($"{where} encodes height {block.Header.Height}.");
            }

            if (block.Hash != header.Hash)
            {
                throw new LedgerStorageException($"{where} hashes to {block.Hash.ToHex()} but is indexed as {header.Hash.ToHex()}; its bytes are corrupt.");
            }

            if (block.Header.ParentHash != expectedParent || header.ParentHash != expectedParent)
            {
                throw new LedgerStorageException($"{where} names parent {block.Header.ParentHash.ToHex()} but the previous block is {expectedParent.ToHex()}; the chain does not link.");
            }

            if (block.StateRoot != header.StateRoot || block.Header.Timestamp != header.Timestamp)
            {
                throw new LedgerStorageException($"{where}: indexed state root or timestamp differs from the encoded block.");
            }

            if (txCount != block.Transactions.Count || receiptCount != block.Transactions.Count)
            {
                throw new LedgerStorageException($"{where} has {block.Transactions.Count} transactions but {txCount} indexed transactions and {receiptCount} receipts.");
            }

            expectedParent = header.Hash;
            expectedHeight++;
        }
    }

    private List<(StoredBlockHeader Header, byte[] Bytes, int TxCount, int ReceiptCount)> ReadAllForVerification()
    {
        lock (_lock)
        {
            using var cmd = Command(
                "SELECT b.height, b.hash, b.parent, b.state_root, b.timestamp, b.bytes, " +
                "(SELECT COUNT(*) FROM txs t WHERE t.height = b.height), (SELECT COUNT(*) FROM receipts r WHERE r.height = b.height) " +
                "FROM blocks b ORDER BY b.height");
            using var reader = cmd.ExecuteReader();
            var list = new List<(StoredBlockHeader, byte[], int, int)>();
            while (reader.Read())
            {
                list.Add((ReadHeader(reader), Blob(reader, 5, "block bytes"), reader.GetInt32(6), reader.GetInt32(7)));
            }

            return list;
        }
    }

    private Block DecodeBlock(ulong height, byte[] bytes)
    {
        try
        {
            return Block.Decode(bytes);
        }
        catch (Exception e) when (e is Agora.Core.Serialization.EncodingException or ArgumentException)
        {
            throw new LedgerStorageException($"{Path}: block {height} does not decode ({e.Message}); the database is corrupt.", e);
        }
    }

    private static byte[] Blob(SqliteDataReader reader, int column, string what)
        => reader[column] as byte[] ?? throw new LedgerStorageException($"A stored {what} value is not a blob; the database is corrupt.");

    private static StoredBlockHeader ReadHeader(SqliteDataReader reader)
    {
        try
        {
            return new StoredBlockHeader((ulong)reader.GetInt64(0), new Hash256(Blob(reader, 1, "block hash")), new Hash256(Blob(reader, 2, "parent hash")), new Hash256(Blob(reader, 3, "state root")), (ulong)reader.GetInt64(4));
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException)
        {
            throw new LedgerStorageException($"A block row has malformed columns ({e.Message}); the database is corrupt.", e);
        }
    }

    private static List<StoredReceipt> ReadReceipts(SqliteCommand cmd)
    {
        using var reader = cmd.ExecuteReader();
        var list = new List<StoredReceipt>();
        while (reader.Read())
        {
            list.Add(new StoredReceipt(new Hash256((byte[])reader[0]), (ulong)reader.GetInt64(1), reader.GetInt32(2), new Hash256((byte[])reader[3]), (TxCode)reader.GetInt32(4), reader.GetString(5)));
        }

        return list;
    }

    private void EnsureSchema()
    {
        using var scope = Begin();
        var tx = _activeTransaction!;
        Exec(_db, """
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS blocks(
                height INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, parent BLOB NOT NULL, state_root BLOB NOT NULL,
                timestamp INTEGER NOT NULL, tx_count INTEGER NOT NULL, bytes BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS txs(
                height INTEGER NOT NULL REFERENCES blocks(height), idx INTEGER NOT NULL, id BLOB NOT NULL, bytes BLOB NOT NULL,
                PRIMARY KEY(height, idx));
            CREATE INDEX IF NOT EXISTS txs_by_id ON txs(id);
            CREATE TABLE IF NOT EXISTS receipts(
                height INTEGER NOT NULL REFERENCES blocks(height), idx INTEGER NOT NULL, tx_id BLOB NOT NULL, code INTEGER NOT NULL, message TEXT NOT NULL,
                PRIMARY KEY(height, idx));
            CREATE INDEX IF NOT EXISTS receipts_by_tx ON receipts(tx_id);
            CREATE TABLE IF NOT EXISTS snapshots(height INTEGER PRIMARY KEY REFERENCES blocks(height), state_root BLOB NOT NULL, bytes BLOB NOT NULL);
            """, tx);
        using (var get = Command("SELECT value FROM meta WHERE key = 'schema_version'"))
        {
            var existing = get.ExecuteScalar() as string;
            if (existing is null)
            {
                using var set = Command("INSERT INTO meta(key, value) VALUES('schema_version', $v)", ("$v", SchemaVersion.ToString()));
                set.ExecuteNonQuery();
            }
            else if (existing != SchemaVersion.ToString())
            {
                throw new LedgerStorageException($"{Path} has schema version {existing}; this build reads version {SchemaVersion}.");
            }
        }

        scope.Commit();
    }

    /// <summary>Begins a transaction that commands made by <see cref="Command"/> join; a disposal without commit rolls back.</summary>
    private TransactionScope Begin()
    {
        _activeTransaction = _db.BeginTransaction();
        return new TransactionScope(this, _activeTransaction);
    }

    private sealed class TransactionScope(LedgerStore store, SqliteTransaction transaction) : IDisposable
    {
        public void Commit() => transaction.Commit();

        public void Dispose()
        {
            transaction.Dispose();
            store._activeTransaction = null;
        }
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = _activeTransaction;
        Bind(cmd, parameters);
        return cmd;
    }

    private static void Bind(SqliteCommand cmd, params (string Name, object Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (cmd.Parameters.Contains(name))
            {
                cmd.Parameters[name].Value = value;
            }
            else
            {
                cmd.Parameters.AddWithValue(name, value);
            }
        }
    }

    private static void Exec(SqliteConnection db, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }
}
