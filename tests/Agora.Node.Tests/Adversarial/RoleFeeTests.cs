using Agora.Ledger.Transactions;
using Agora.Node.Ledger;
using Agora.Node.Roles;
using Microsoft.Data.Sqlite;

namespace Agora.Node.Tests.Adversarial;

/// <summary>
/// Fee capture: a governance vote can raise MinTxFee; roles that always paid 0 would then be stopped. The roles'
/// ledger ports read the chain's current minimum fee and pay it.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class RoleFeeTests : IAsyncLifetime
{
    private const ulong Fee = 7_000_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-role-fee-").FullName;
    private LedgerNode _node = null!;
    private RpcServer _server = null!;
    private LedgerClient _client = null!;

    public async Task InitializeAsync()
    {
        var json = NodeFixtures.GenesisJson("fee-test").Replace("\"MinTxFee\": 0", $"\"MinTxFee\": {Fee}", StringComparison.Ordinal);
        var genesis = GenesisFile.Parse(json, "test genesis");
        Assert.Equal(Fee, genesis.Params.MinTxFee);
        _node = LedgerNode.Open(new NodeOptions { DataDirectory = _dir, Port = 0 }, genesis);
        _server = await RpcServer.StartAsync(_node, 0);
        _client = new LedgerClient(_server.Endpoint);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _node.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private ulong AliceBalance() => _node.Read(app => app.Query.GetAccount(NodeFixtures.AliceId).Balance);

    [Fact]
    public void FeeCapture_the_in_process_role_ledger_pays_the_current_minimum_fee()
    {
        var before = AliceBalance();
        new LocalSubnetLedger(_node).Submit(NodeFixtures.Alice, new TransferBody(NodeFixtures.Bob, 1_000));
        var receipt = Assert.Single(_node.ProduceBlock().Receipts);
        Assert.True(receipt.Success, receipt.Message);
        Assert.Equal(before - 1_000 - Fee, AliceBalance());
    }

    [Fact]
    public async Task FeeCapture_the_rpc_role_ledger_reads_the_fee_from_get_status_and_pays_it()
    {
        Assert.Equal(Fee, (await _client.GetStatusAsync()).MinTxFee);
        var before = AliceBalance();
        await Task.Run(() => new RpcSubnetLedger(_client).Submit(NodeFixtures.Alice, new TransferBody(NodeFixtures.Bob, 1_000)));
        var receipt = Assert.Single(_node.ProduceBlock().Receipts);
        Assert.True(receipt.Success, receipt.Message);
        Assert.Equal(before - 1_000 - Fee, AliceBalance());
    }
}
