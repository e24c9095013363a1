using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using Agora.Node.Ledger;
using Agora.Node.Wallets;

namespace Agora.Cli.Tests;

/// <summary>The node's get_artifact_commitments method over a real node (SetCommitment, TxKind 13).</summary>
public sealed class LedgerArtifactCommitmentRpcTests
{
    [Fact]
    public async Task A_commitment_set_by_a_registered_hotkey_is_served_with_uid_hex_data_and_block()
    {
        await using var h = await LedgerNodeHarness.StartAsync();
        var alice = await h.CreateWalletAsync("alice");
        await h.JsonAsync("faucet", "--to", alice, "--amount", "3000");
        await h.JsonAsync("subnet", "create", "--wallet", "alice");

        using var client = new LedgerClient(h.Server.Endpoint);
        var hotkey = new Keystore(h.WalletDir).UnlockHotkey("alice", "default", LedgerNodeHarness.Password);
        var signer = new AccountId(hotkey.PublicKey);
        var status = await client.GetStatusAsync();
        var tx = new Transaction(signer, 0, new SetCommitmentBody(1, [0xde, 0xad, 0xbe, 0xef]), 0, Transaction.DefaultValidUntil(status.Height)).Sign(hotkey, status.ChainId, Hash256.FromHex(status.GenesisHash));
        var receipt = await client.SubmitAsync(tx.ToBytes(), wait: true);
        Assert.True(receipt.Success, receipt.Message);

        var list = await client.CallAsync("get_artifact_commitments", w => w.WriteNumber("netuid", 1));
        var c = Assert.Single(list.EnumerateArray());
        Assert.Equal(signer.ToAddress(), c.GetProperty("hotkey").GetString());
        Assert.Equal(0, c.GetProperty("uid").GetInt32());
        Assert.Equal("deadbeef", c.GetProperty("data").GetString());
        Assert.Equal(receipt.Height, c.GetProperty("block").GetUInt64());
        Assert.Empty((await client.GetCommitmentsAsync(1)).EnumerateArray());

        var e = await Assert.ThrowsAsync<LedgerRpcException>(() => client.CallAsync("get_artifact_commitments", w => w.WriteNumber("netuid", 9)));
        Assert.Equal(10, e.Code);
    }

    [Fact]
    public async Task The_commitment_commands_set_replace_and_list_and_refuse_bad_data()
    {
        await using var h = await LedgerNodeHarness.StartAsync();
        var alice = await h.CreateWalletAsync("alice");
        await h.JsonAsync("faucet", "--to", alice, "--amount", "3000");
        await h.JsonAsync("subnet", "create", "--wallet", "alice");

        var first = await h.JsonAsync("commitment", "set", "--wallet", "alice", "--netuid", "1", "--data-hex", "0x0102");
        Assert.Equal(0, first.GetProperty("code").GetInt32());

        // A hotkey changes its commitment at most once per CommitmentRateLimit blocks (3 by default): a replacement
        // right away is refused, one after the limit goes through.
        var tooSoon = await h.RunAsync("commitment", "set", "--wallet", "alice", "--netuid", "1", "--data-hex", "beef");
        if (tooSoon.Code != 0)
        {
            Assert.Contains("CommitmentRateLimited", tooSoon.Err, StringComparison.Ordinal);
        }

        await h.WaitForHeightAsync(first.GetProperty("height").GetUInt64() + 4);
        var replaced = await h.JsonAsync("commitment", "set", "--wallet", "alice", "--netuid", "1", "--data-hex", "cafe");
        var c = Assert.Single((await h.JsonAsync("commitment", "list", "--netuid", "1")).EnumerateArray());
        Assert.Equal("cafe", c.GetProperty("data").GetString());
        Assert.Equal(replaced.GetProperty("height").GetUInt64(), c.GetProperty("block").GetUInt64());

        var table = await h.RunAsync("commitment", "list", "--netuid", "1");
        Assert.Contains("cafe", table.Out, StringComparison.Ordinal);

        var odd = await h.RunAsync("commitment", "set", "--wallet", "alice", "--netuid", "1", "--data-hex", "abc");
        Assert.Equal(1, odd.Code);
        Assert.Contains("even number of hex digits", odd.Err, StringComparison.Ordinal);
        var big = await h.RunAsync("commitment", "set", "--wallet", "alice", "--netuid", "1", "--data-hex", new string('a', 2050));
        Assert.Contains("at most 1024", big.Err, StringComparison.Ordinal);
        var unregistered = await h.RunAsync("commitment", "set", "--wallet", "alice", "--netuid", "7", "--data-hex", "00");
        Assert.Contains("(10 UnknownSubnet)", unregistered.Err, StringComparison.Ordinal);
    }
}
