using System.Text.Json;
using Agora.Cli.Commands;

namespace Agora.Cli.Tests;

/// <summary>The README walk-through against a real node: wallets, transfer, subnet, registration, stake, weights, an epoch payout.</summary>
public sealed class LedgerWalkthroughTests
{
    private static ulong U64(JsonElement e, string name) => e.GetProperty(name).GetUInt64();

    private static JsonElement Neuron(JsonElement metagraph, int uid) => metagraph.GetProperty("neurons").EnumerateArray().Single(n => n.GetProperty("uid").GetInt32() == uid);

    [Fact]
    public async Task A_validator_and_a_miner_go_from_new_wallets_to_an_epoch_payout()
    {
        await using var h = await LedgerNodeHarness.StartAsync();
        var alice = await h.CreateWalletAsync("alice");
        var bob = await h.CreateWalletAsync("bob");

        var funded = await h.JsonAsync("faucet", "--to", alice, "--amount", "5000");
        Assert.Equal("committed", funded.GetProperty("status").GetString());

        var sent = await h.JsonAsync("transfer", "--wallet", "alice", "--to", bob, "--amount", "12.5");
        Assert.Equal(0, sent.GetProperty("code").GetInt32());
        Assert.Equal(12_500_000_000UL, U64(await h.JsonAsync("balance", "--address", bob), "balance"));
        Assert.Equal(5000 * TaoAmount.RaoPerTao - 12_500_000_000UL, U64(await h.JsonAsync("balance", "--wallet", "alice"), "balance"));

        var created = await h.JsonAsync("subnet", "create", "--wallet", "alice", "--max-lock", "2000");
        Assert.Equal(0, created.GetProperty("code").GetInt32());
        var subnet = Assert.Single((await h.JsonAsync("subnet", "list")).EnumerateArray());
        var netuidValue = subnet.GetProperty("netuid").GetUInt16();
        var netuid = netuidValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(alice, subnet.GetProperty("owner_coldkey").GetString());

        Assert.Equal(0, (await h.JsonAsync("subnet", "set", "--wallet", "alice", "--netuid", netuid, "--param", "Tempo", "--value", "20")).GetProperty("code").GetInt32());
        Assert.Equal(20UL, U64((await h.JsonAsync("subnet", "show", "--netuid", netuid)).GetProperty("hyperparameters"), "Tempo"));

        Assert.Equal(0, (await h.JsonAsync("register", "--wallet", "bob", "--netuid", netuid, "--max-burn", "1")).GetProperty("code").GetInt32());
        Assert.Equal(0, (await h.JsonAsync("stake", "add", "--wallet", "alice", "--netuid", netuid, "--amount", "100")).GetProperty("code").GetInt32());
        var stakes = await h.JsonAsync("stake", "list", "--wallet", "alice");
        var position = Assert.Single(stakes.EnumerateArray());
        Assert.True(U64(position, "alpha") > 0);

        var metagraph = await h.JsonAsync("metagraph", "--netuid", netuid);
        Assert.Equal(2, metagraph.GetProperty("neurons").GetArrayLength());
        var aliceHotkey = Neuron(metagraph, 0).GetProperty("hotkey").GetString()!;
        var bobHotkey = Neuron(metagraph, 1).GetProperty("hotkey").GetString()!;
        Assert.Equal(bob, Neuron(metagraph, 1).GetProperty("coldkey").GetString());

        // One epoch first, so that alice's stake earns a validator permit.
        var next = U64(await h.JsonAsync("subnet", "show", "--netuid", netuid), "next_epoch_block");
        await h.WaitForHeightAsync(next + 1);

        var commit = await h.JsonAsync("weights", "commit", "--wallet", "alice", "--netuid", netuid, "--uids", "1", "--values", "65535");
        Assert.Equal(0, commit.GetProperty("code").GetInt32());
        Assert.Single(Directory.GetFiles(Path.Combine(h.WalletDir, "weight-commits")));

        // The reveal is due in the commit's reveal epoch (the next one); wait for its first block.
        // Epoch e of subnet n starts at block e·(tempo+1) − n − 1 (Schedule.EpochIndex).
        var pending = Assert.Single(h.Node.Read(a => a.Query.Commitments(netuidValue)));
        await h.WaitForHeightAsync((pending.RevealEpoch * 21) - netuidValue - 1);
        var reveal = await h.JsonAsync("weights", "reveal", "--wallet", "alice", "--netuid", netuid);
        Assert.Equal(0, reveal.GetProperty("code").GetInt32());
        Assert.Empty(Directory.GetFiles(Path.Combine(h.WalletDir, "weight-commits")));

        // Two more epochs: one with the revealed weights in place pays the miner and the validator.
        next = U64(await h.JsonAsync("subnet", "show", "--netuid", netuid), "next_epoch_block");
        await h.WaitForHeightAsync(next + 22);
        metagraph = await h.JsonAsync("metagraph", "--netuid", netuid);
        var miner = Neuron(metagraph, 1);
        var validator = Neuron(metagraph, 0);
        Assert.Equal(bobHotkey, miner.GetProperty("hotkey").GetString());
        Assert.Equal(aliceHotkey, validator.GetProperty("hotkey").GetString());
        Assert.Equal(65535, miner.GetProperty("incentive").GetInt32());
        Assert.True(U64(miner, "emission") > 0, "the miner earned no emission");
        Assert.True(validator.GetProperty("dividends").GetInt32() > 0, "the validator earned no dividends");
        Assert.True(validator.GetProperty("validator_permit").GetBoolean());
        Assert.Equal([1, 65535], validator.GetProperty("weights")[0].EnumerateArray().Select(x => x.GetInt32()));

        var pools = await h.JsonAsync("pool", "--netuid", netuid);
        Assert.True(U64(Assert.Single(pools.EnumerateArray()), "tao_reserve") > 0);
    }
}
