using Agora.Ledger.Blocks;
using Agora.Node.Ledger;

namespace Agora.Node.Tests.Adversarial;

/// <summary>
/// A transaction left behind in the mempool (here: a full block took everything before it) must not stay there to be
/// executed whenever a producer gets to it: once its valid-until height passes it is dropped, with the reason.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class MempoolExpiryTests : IDisposable
{
    private const string Chain = "node-test";
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-mempool-expiry-").FullName;

    [Fact]
    public void A_transaction_that_expires_while_waiting_in_the_mempool_is_dropped()
    {
        var genesis = GenesisFile.Parse(NodeFixtures.GenesisJson(Chain), "test genesis");
        using var node = LedgerNode.Open(new NodeOptions { DataDirectory = _dir, MaxMempool = Block.MaxTransactions + 1 }, genesis);
        for (ulong n = 0; n < Block.MaxTransactions; n++)
        {
            node.Submit(NodeFixtures.Transfer(Chain, n, 1));
        }

        var expiring = node.Submit(NodeFixtures.Transfer(Chain, Block.MaxTransactions, 1, validUntil: 1));
        Assert.Equal(TxState.Pending, node.GetStatus(expiring).State);

        node.ProduceBlock();
        var status = node.GetStatus(expiring);
        Assert.Equal(TxState.Dropped, status.State);
        Assert.Contains("valid until block 1", status.Reason);
        Assert.Equal(0, node.MempoolSize);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
