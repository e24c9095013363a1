using System.Net;
using System.Text;
using Agora.Core.Addresses;
using Agora.Node.Ledger;

namespace Agora.Node.Tests.Adversarial;

/// <summary>Hostile parameters from the public RPC: each is refused with a JSON error before any work, and changes nothing.</summary>
[Trait("Category", "Adversarial")]
public sealed class RpcInputBoundsTests
{
    [Theory]
    [InlineData("18446744073709551615")]
    [InlineData("9223372036854775808")]
    [InlineData("9223372036854775807")]
    public async Task Get_block_beyond_the_tip_up_to_2_pow_64_minus_1_is_a_not_found_error_not_http_500(string height)
    {
        await using var rig = await RpcRig.StartAsync();
        var (status, body) = await rig.PostAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"get_block","params":{"height":{{{height}}}}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(RpcException.NotFound, RpcRig.ErrorCode(body));
        Assert.Contains(height, RpcRig.ErrorMessage(body));
    }

    [Fact]
    public async Task An_80000_character_address_is_refused_by_its_length_without_echoing_it()
    {
        await using var rig = await RpcRig.StartAsync();
        var hostile = new string('z', 80_000);
        var (status, body) = await rig.PostAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"get_account","params":{"address":"{{{hostile}}}"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(RpcException.InvalidParams, RpcRig.ErrorCode(body));
        Assert.Contains($"at most {Ss58Address.MaxLength}", RpcRig.ErrorMessage(body));
        Assert.True(body.Length < 1000, $"The answer echoes the hostile address ({body.Length} bytes).");
    }

    [Fact]
    public async Task A_hash_parameter_longer_than_32_bytes_is_refused_by_its_length()
    {
        await using var rig = await RpcRig.StartAsync();
        var (_, body) = await rig.PostAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"get_receipt","params":{"tx_id":"{{{new string('a', 200_000)}}}"}}""");
        Assert.Equal(RpcException.InvalidParams, RpcRig.ErrorCode(body));
        Assert.Contains("at most 32", RpcRig.ErrorMessage(body));
    }

    [Fact]
    public async Task A_transaction_larger_than_a_block_admits_is_refused_by_its_length()
    {
        await using var rig = await RpcRig.StartAsync();
        var (_, body) = await rig.PostAsync(RpcRig.SubmitBody(new byte[Agora.Ledger.Blocks.Block.MaxTransactionBytes + 1]));
        Assert.Equal(RpcException.InvalidParams, RpcRig.ErrorCode(body));
        Assert.Contains($"at most {Agora.Ledger.Blocks.Block.MaxTransactionBytes}", RpcRig.ErrorMessage(body));
        Assert.Equal(0, rig.Node.MempoolSize);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_refused_with_413_and_a_json_error()
    {
        await using var rig = await RpcRig.StartAsync();
        var padding = new string(' ', RpcDispatcher.MaxRequestBytes);
        var (status, body) = await rig.PostAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"get_status\"" + padding + "}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(RpcException.RequestTooLarge, RpcRig.ErrorCode(body));
    }

    [Theory]
    [InlineData("18446744073709551615")]
    [InlineData("99999999999999999999999")]
    [InlineData("-1")]
    public async Task A_block_stream_from_an_impossible_height_is_a_400_json_error(string from)
    {
        await using var rig = await RpcRig.StartAsync();
        using var response = await rig.Http.GetAsync(new Uri(rig.Server.Endpoint, $"blocks?from={from}"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RpcException.InvalidParams, RpcRig.ErrorCode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Hostile_requests_leave_the_node_serving()
    {
        await using var rig = await RpcRig.StartAsync();
        await rig.PostAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"get_block","params":{"height":18446744073709551615}}""");
        await rig.PostAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"get_account","params":{"address":"{{{new string('z', 80_000)}}}"}}""");
        using var client = new LedgerClient(rig.Server.Endpoint);
        Assert.Equal(RpcRig.Chain, (await client.GetStatusAsync()).ChainId);
        Assert.Equal("ok", Encoding.UTF8.GetString(await rig.Http.GetByteArrayAsync(new Uri(rig.Server.Endpoint, "health"))));
    }
}
