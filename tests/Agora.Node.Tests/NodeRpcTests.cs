using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Agora.Ledger.Execution;
using Agora.Ledger.Storage;
using Agora.Node.Ledger;
using Microsoft.Data.Sqlite;

namespace Agora.Node.Tests;

/// <summary>The JSON-RPC surface against an in-process node whose blocks the test produces by hand.</summary>
public sealed class NodeRpcTests : IAsyncLifetime
{
    private const string Chain = "node-test";
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-node-rpc-").FullName;
    private LedgerNode _node = null!;
    private RpcServer _server = null!;
    private LedgerClient _client = null!;

    public async Task InitializeAsync()
    {
        var genesis = GenesisFile.Parse(NodeFixtures.GenesisJson(Chain), "test genesis");
        _node = LedgerNode.Open(new NodeOptions { DataDirectory = _dir, Port = 0, SnapshotEvery = 2 }, genesis);
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

    private async Task<(int Code, string Message)> ErrorOf(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<LedgerRpcException>(call);
        return (e.Code, e.RpcMessage);
    }

    private async Task<string> RawPost(string body)
    {
        using var http = new HttpClient();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(_server.Endpoint, "rpc"), content);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public void The_server_listens_on_loopback_only()
        => Assert.Equal("127.0.0.1", _server.Endpoint.Host);

    [Fact]
    public async Task A_submitted_transfer_is_pending_until_its_block_is_durable_then_committed()
    {
        var submitted = await _client.SubmitAsync(NodeFixtures.Transfer(Chain, 0, 1234));
        Assert.Equal("pending", submitted.Status);
        Assert.Equal("pending", (await _client.GetReceiptAsync(submitted.TxId)).Status);

        _node.ProduceBlock();

        var receipt = await _client.GetReceiptAsync(submitted.TxId);
        Assert.True(receipt.Success, receipt.Message);
        Assert.Equal(1UL, receipt.Height);
        Assert.Equal(1234UL, (await _client.GetAccountAsync(NodeFixtures.Bob.ToAddress())).Balance);
        var alice = await _client.GetAccountAsync(NodeFixtures.AliceId.ToAddress());
        Assert.Equal((NodeFixtures.AliceBalance - 1234, 1UL), (alice.Balance, alice.Nonce));

        // What the client was told is already on disk: a second connection to the file sees the block.
        using var reader = LedgerStore.Open(Path.Combine(_dir, "ledger.db"));
        Assert.Equal(receipt.BlockHash, reader.GetReceipt(Agora.Ledger.Primitives.Hash256.FromHex(receipt.TxId))!.BlockHash.ToHex());
    }

    [Fact]
    public async Task Submit_with_wait_answers_only_after_the_block()
    {
        var waiting = _client.SubmitAsync(NodeFixtures.Transfer(Chain, 0, 1), wait: true);
        while (_node.MempoolSize == 0)
        {
            await Task.Delay(5);
        }

        _node.ProduceBlock();
        var receipt = await waiting;
        Assert.Equal("committed", receipt.Status);
        Assert.Equal(1UL, receipt.Height);
    }

    [Fact]
    public async Task Consecutive_nonces_queue_in_the_mempool_and_land_in_one_block()
    {
        var ids = new List<string>();
        for (ulong n = 0; n < 5; n++)
        {
            ids.Add((await _client.SubmitAsync(NodeFixtures.Transfer(Chain, n, 10 + n))).TxId);
        }

        var block = _node.ProduceBlock();
        Assert.Equal(5, block.Receipts.Count);
        Assert.All(block.Receipts, r => Assert.Equal(TxCode.Ok, r.Code));
        Assert.Equal(ids, (await Task.WhenAll(ids.Select(id => _client.GetReceiptAsync(id)))).Select(r => r.TxId));
    }

    [Theory]
    [InlineData("stale", (int)TxCode.NonceStale)]
    [InlineData("future", (int)TxCode.NonceFuture)]
    [InlineData("overspend", (int)TxCode.InsufficientBalance)]
    [InlineData("signature", (int)TxCode.BadSignature)]
    [InlineData("other-chain", (int)TxCode.BadSignature)]
    [InlineData("garbage", (int)TxCode.Malformed)]
    public async Task Invalid_transactions_are_rejected_with_their_code_and_change_nothing(string kind, int expected)
    {
        await _client.SubmitAsync(NodeFixtures.Transfer(Chain, 0, 1));
        _node.ProduceBlock();
        var before = await _client.GetStatusAsync();

        var tx = kind switch
        {
            "stale" => NodeFixtures.Transfer(Chain, 0, 5),
            "future" => NodeFixtures.Transfer(Chain, 7, 5),
            "overspend" => NodeFixtures.Transfer(Chain, 1, NodeFixtures.AliceBalance),
            "signature" => Corrupt(NodeFixtures.Transfer(Chain, 1, 5)),
            "other-chain" => NodeFixtures.Transfer("another-chain", 1, 5),
            _ => [1, 2, 3],
        };
        var (code, message) = await ErrorOf(() => _client.SubmitAsync(tx));
        Assert.Equal(expected, code);
        Assert.False(string.IsNullOrWhiteSpace(message));

        var after = await _client.GetStatusAsync();
        Assert.Equal((before.StateRoot, 0), (after.StateRoot, after.Mempool));
        Assert.Equal(1UL, (await _client.GetAccountAsync(NodeFixtures.AliceId.ToAddress())).Nonce);
    }

    private static byte[] Corrupt(byte[] tx)
    {
        tx[^1] ^= 0x01;
        return tx;
    }

    [Fact]
    public async Task Protocol_errors_use_the_json_rpc_codes()
    {
        Assert.Equal(RpcException.ParseError, Code(await RawPost("{not json")));
        Assert.Equal(RpcException.InvalidRequest, Code(await RawPost("[{\"method\":\"get_status\"}]")));
        Assert.Equal(RpcException.InvalidRequest, Code(await RawPost("{\"id\":1}")));
        Assert.Equal(RpcException.MethodNotFound, Code(await RawPost("{\"id\":1,\"method\":\"drop_tables\"}")));
        Assert.Equal(RpcException.InvalidParams, Code(await RawPost("{\"id\":1,\"method\":\"get_status\",\"params\":[1]}")));
        Assert.Equal(RpcException.InvalidParams, Code(await RawPost("{\"id\":1,\"method\":\"get_account\",\"params\":{}}")));
        Assert.Equal(RpcException.InvalidParams, Code(await RawPost("{\"id\":1,\"method\":\"get_account\",\"params\":{\"address\":\"5notanaddress\"}}")));
        Assert.Equal(RpcException.InvalidParams, Code(await RawPost("{\"id\":1,\"method\":\"get_subnet\",\"params\":{\"netuid\":-1}}")));
        Assert.Equal(RpcException.InvalidParams, Code(await RawPost("{\"id\":1,\"method\":\"get_status\",\"params\":{\"extra\":1}}")));
        Assert.Equal(RpcException.InvalidParams, Code(await RawPost("{\"id\":1,\"method\":\"submit_tx\",\"params\":{\"tx\":\"zz\"}}")));
        Assert.Equal(0, _node.MempoolSize);
    }

    private static int Code(string response)
    {
        using var doc = JsonDocument.Parse(response);
        return doc.RootElement.GetProperty("error").GetProperty("code").GetInt32();
    }

    [Fact]
    public async Task Unknown_subnets_and_uids_are_rejected_with_ledger_codes()
    {
        Assert.Equal((int)TxCode.UnknownSubnet, (await ErrorOf(() => _client.GetMetagraphAsync(9))).Code);
        Assert.Equal((int)TxCode.UnknownSubnet, (await ErrorOf(() => _client.GetCommitmentsAsync(9))).Code);
        Assert.Equal((int)TxCode.UnknownSubnet, (await ErrorOf(() => _client.CallAsync("get_subnet", w => w.WriteNumber("netuid", 9)))).Code);
        Assert.Equal((int)TxCode.UnknownUid, (await ErrorOf(() => _client.CallAsync("get_neuron", w =>
        {
            w.WriteNumber("netuid", 1);
            w.WriteNumber("uid", 200);
        }))).Code);
        Assert.Equal(RpcException.NotFound, (await ErrorOf(() => _client.GetBlockAsync(99))).Code);
    }

    [Fact]
    public async Task Subnet_queries_describe_the_genesis_subnet()
    {
        var subnets = await _client.CallAsync("get_subnets");
        var subnet = Assert.Single(subnets.EnumerateArray());
        Assert.Equal(1, subnet.GetProperty("netuid").GetInt32());
        Assert.Equal(10, subnet.GetProperty("hyperparameters").GetProperty("Tempo").GetInt32());
        var metagraph = await _client.GetMetagraphAsync(1);
        Assert.Equal(new Agora.Ledger.Primitives.AccountId(NodeFixtures.OwnerHot.PublicKey).ToAddress(),
            Assert.Single(metagraph.GetProperty("neurons").EnumerateArray()).GetProperty("hotkey").GetString());
        var pool = Assert.Single((await _client.CallAsync("get_pools")).EnumerateArray());
        Assert.Equal(1_000_000_000_000UL, pool.GetProperty("tao_reserve").GetUInt64());
        Assert.Empty((await _client.CallAsync("get_proposals")).EnumerateArray());
        Assert.Empty((await _client.GetCommitmentsAsync(1)).EnumerateArray());
    }

    [Fact]
    public async Task The_block_stream_delivers_each_new_block_in_order()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<BlockSummaryView>();
        var reading = Task.Run(async () =>
        {
            await foreach (var block in _client.SubscribeBlocksAsync(1, cts.Token))
            {
                received.Add(block);
                if (received.Count == 3)
                {
                    break;
                }
            }
        });
        var tx = await _client.SubmitAsync(NodeFixtures.Transfer(Chain, 0, 1));
        for (var i = 0; i < 3; i++)
        {
            _node.ProduceBlock();
        }

        await reading;
        Assert.Equal([1UL, 2UL, 3UL], received.Select(b => b.Height));
        Assert.Equal([tx.TxId], received[0].TxIds);
        Assert.Equal(received[0].Hash, received[1].ParentHash);
        var block2 = await _client.GetBlockAsync(2);
        Assert.Equal(received[1].StateRoot, block2.GetProperty("state_root").GetString());
    }

    [Fact]
    public async Task A_restarted_node_resumes_from_its_snapshot_with_the_same_state()
    {
        for (ulong n = 0; n < 5; n++)
        {
            await _client.SubmitAsync(NodeFixtures.Transfer(Chain, n, 1));
            _node.ProduceBlock();
        }

        var before = await _client.GetStatusAsync();
        await _server.DisposeAsync();
        _node.Dispose();

        var genesis = GenesisFile.Parse(NodeFixtures.GenesisJson(Chain), "test genesis");
        _node = LedgerNode.Open(new NodeOptions { DataDirectory = _dir, Port = 0, SnapshotEvery = 2 }, genesis);
        _server = await RpcServer.StartAsync(_node, 0);
        _client.Dispose();
        _client = new LedgerClient(_server.Endpoint);
        Assert.Equal((4UL, 1), (_node.Recovery.SnapshotHeight, _node.Recovery.ReplayedBlocks));
        var after = await _client.GetStatusAsync();
        Assert.Equal((before.Height, before.StateRoot, before.BlockHash), (after.Height, after.StateRoot, after.BlockHash));
    }
}
