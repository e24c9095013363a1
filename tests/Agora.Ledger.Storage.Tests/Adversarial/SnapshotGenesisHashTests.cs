using Microsoft.Data.Sqlite;

namespace Agora.Ledger.Storage.Tests.Adversarial;

/// <summary>
/// The genesis hash that transaction signatures are checked against travels in the snapshot (it is not in the state
/// root, so the block check on the snapshot cannot catch it). A snapshot naming another genesis is refused on recovery.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class SnapshotGenesisHashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-snapshot-genesis-").FullName;

    private string DbPath => Path.Combine(_dir, "ledger.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_snapshot_whose_genesis_hash_was_altered_is_refused_on_recovery()
    {
        var chain = new TestChain();
        using (var store = LedgerStore.Open(DbPath))
        {
            LedgerRecovery.Recover(store, TestChain.Genesis());
            for (var i = 0; i < 3; i++)
            {
                chain.Produce(store, transfers: 1);
            }

            // Snapshot layout: "AGSN" ‖ version u16 ‖ last block hash (32) ‖ genesis hash (32) ‖ state.
            var bytes = chain.App.ExportSnapshot();
            Assert.Equal(chain.App.GenesisHash.ToBytes(), bytes[38..70]);
            bytes[40] ^= 0xFF;
            store.SaveSnapshot(chain.App.Height, chain.App.StateRoot, bytes);
        }

        using (var store = LedgerStore.Open(DbPath))
        {
            var e = Assert.Throws<LedgerStorageException>(() => LedgerRecovery.Recover(store, TestChain.Genesis()));
            Assert.Contains("names genesis", e.Message);
        }
    }
}
