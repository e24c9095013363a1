using System.Diagnostics;
using Agora.Ledger.Storage;
using Agora.Node.Ledger;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Agora.Node.Tests;

/// <summary>
/// The durability promise end to end: a real node process is SIGKILLed at random moments while it produces
/// blocks under load, then restarted. Every transaction whose committed receipt a client saw must still be there,
/// and the stored chain must replay from genesis to the stored state root.
/// </summary>
public sealed class NodeCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Chain = "crash-test";
    private const int Kills = 20;
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-node-crash-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Acknowledged_transactions_survive_SIGKILL_and_the_chain_replays_from_genesis()
    {
        var random = new Random(20_261_122);
        var data = Path.Combine(_dir, "data");
        var genesisPath = Path.Combine(_dir, "genesis.json");
        await File.WriteAllTextAsync(genesisPath, NodeFixtures.GenesisJson(Chain));
        var acknowledged = new Dictionary<string, ReceiptView>();
        var alice = NodeFixtures.AliceId.ToAddress();
        ulong lastSeenHeight = 0;

        for (var cycle = 0; cycle <= Kills; cycle++)
        {
            using var node = await NodeProcess.StartAsync(data, genesisPath, "50ms", snapshotEvery: 7);
            using var client = new LedgerClient(node.Endpoint);

            // Everything acknowledged before any earlier crash is still committed, in the same block.
            foreach (var (id, before) in acknowledged)
            {
                var now = await client.GetReceiptAsync(id);
                Assert.True(now.Committed, $"cycle {cycle}: acknowledged tx {id} is {now.Status} after restart");
                Assert.Equal((before.Height, before.BlockHash, before.Code), (now.Height, now.BlockHash, now.Code));
            }

            var status = await client.GetStatusAsync();
            Assert.True(status.Height >= lastSeenHeight, $"cycle {cycle}: height went back from {lastSeenHeight} to {status.Height}");
            if (cycle == Kills)
            {
                break;
            }

            var nonce = (await client.GetAccountAsync(alice)).Nonce;
            var pending = new List<string>();
            var killAfter = TimeSpan.FromMilliseconds(random.Next(50, 600));
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < killAfter)
            {
                var submitted = await client.SubmitAsync(NodeFixtures.Transfer(Chain, nonce++, (ulong)random.Next(1, 1000)));
                pending.Add(submitted.TxId);
                foreach (var id in pending.ToArray())
                {
                    var receipt = await client.GetReceiptAsync(id);
                    if (receipt.Committed)
                    {
                        Assert.True(receipt.Success, receipt.Message);
                        acknowledged[id] = receipt;
                        pending.Remove(id);
                        lastSeenHeight = Math.Max(lastSeenHeight, receipt.Height!.Value);
                    }
                }

                await Task.Delay(random.Next(0, 15));
            }

            node.Kill();
        }

        Assert.True(acknowledged.Count >= Kills, $"only {acknowledged.Count} transactions were acknowledged; the test did not exercise the node");

        // Offline audit of what the last process left on disk.
        using var store = LedgerStore.Open(Path.Combine(data, "ledger.db"));
        var genesis = GenesisFile.Parse(NodeFixtures.GenesisJson(Chain), "test genesis");
        var tip = store.Tip!;
        var fresh = LedgerRecovery.Recover(store, genesis, useSnapshots: false);
        var resumed = LedgerRecovery.Recover(store, genesis, useSnapshots: true);
        Assert.Equal(tip.StateRoot, fresh.App.StateRoot);
        Assert.Equal(fresh.App.StateRoot, resumed.App.StateRoot);
        Assert.Equal((int)tip.Height, fresh.ReplayedBlocks);
        Assert.True(resumed.SnapshotHeight > 0, "no snapshot was ever taken");
        foreach (var id in acknowledged.Keys)
        {
            Assert.NotNull(store.GetReceipt(Agora.Ledger.Primitives.Hash256.FromHex(id)));
        }

        var aliceAccount = fresh.App.Query.GetAccount(NodeFixtures.AliceId);
        Assert.True(aliceAccount.Nonce >= (ulong)acknowledged.Count);
        output.WriteLine($"{Kills} SIGKILLs, {acknowledged.Count} acknowledged transactions, {tip.Height} blocks, newest snapshot at {resumed.SnapshotHeight}, replay root {fresh.App.StateRoot.ToHex()}");
    }
}
