using Agora.Node.Ledger;

namespace Agora.Cli.Tests.Adversarial;

/// <summary>
/// Every devnet is "agora-devnet": a wallet that signed on one devnet, pointed (by mistake or by a hostile URL) at
/// another, must not sign there silently. The wallet pins the genesis hash of the chain it first signs for.
/// </summary>
[Trait("Category", "Adversarial")]
public class WalletChainReplayCliTests
{
    [Fact]
    public async Task A_wallet_pinned_to_one_devnet_refuses_to_sign_for_a_look_alike_with_the_same_chain_id_unless_allowed()
    {
        await using var home = await LedgerNodeHarness.StartAsync();
        await using var lookAlike = await LedgerNodeHarness.StartAsync(GenesisFile.DefaultJson().Replace("\"genesis_timestamp\": 0", "\"genesis_timestamp\": 1", StringComparison.Ordinal));
        var alice = await home.CreateWalletAsync("alice");
        await home.JsonAsync("faucet", "--to", alice, "--amount", "10");
        await lookAlike.JsonAsync("faucet", "--to", alice, "--amount", "10");
        Assert.Equal(home.Node.Read(a => a.ChainId), lookAlike.Node.Read(a => a.ChainId));
        Assert.NotEqual(home.Node.GenesisHash, lookAlike.Node.GenesisHash);

        var bob = GenesisFile.DevFaucet.PublicKey;
        var to = new Agora.Ledger.Primitives.AccountId(bob).ToAddress();
        Assert.Equal(0, (await home.RunAsync("transfer", "--wallet", "alice", "--to", to, "--amount", "1")).Code);

        var refused = await home.RunAsync("transfer", "--wallet", "alice", "--to", to, "--amount", "1", "--ledger", lookAlike.Url);
        Assert.Equal(1, refused.Code);
        Assert.Contains("--allow-new-chain", refused.Err);
        Assert.Contains(home.Node.GenesisHash.ToHex(), refused.Err);
        Assert.Equal(0UL, lookAlike.Node.Read(a => a.Query.GetAccount(Agora.Ledger.Primitives.AccountId.FromAddress(alice)).Nonce));

        var allowed = await home.RunAsync("transfer", "--wallet", "alice", "--to", to, "--amount", "1", "--ledger", lookAlike.Url, "--allow-new-chain");
        Assert.True(allowed.Code == 0, allowed.Err);
        Assert.Equal(1UL, lookAlike.Node.Read(a => a.Query.GetAccount(Agora.Ledger.Primitives.AccountId.FromAddress(alice)).Nonce));
    }

    [Fact]
    public async Task Register_signs_a_proof_with_the_wallets_hotkey_and_refuses_a_hotkey_the_wallet_does_not_hold()
    {
        await using var h = await LedgerNodeHarness.StartAsync();
        var alice = await h.CreateWalletAsync("alice");
        await h.JsonAsync("faucet", "--to", alice, "--amount", "3000");
        await h.JsonAsync("subnet", "create", "--wallet", "alice");
        var bob = await h.CreateWalletAsync("bob");
        await h.JsonAsync("faucet", "--to", bob, "--amount", "3000");

        var stranger = await h.RunAsync("register", "--wallet", "bob", "--netuid", "1", "--hotkey", "nobody");
        Assert.Equal(1, stranger.Code);
        Assert.Contains("proof of possession", stranger.Err);

        var registered = await h.JsonAsync("register", "--wallet", "bob", "--netuid", "1");
        Assert.Equal("committed", registered.GetProperty("status").GetString());
        Assert.Equal(0, registered.GetProperty("code").GetInt32());
    }
}
