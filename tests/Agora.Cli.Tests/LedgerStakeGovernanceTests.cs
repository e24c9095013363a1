using System.Text.Json;

namespace Agora.Cli.Tests;

/// <summary>The remaining signing commands against a real node: direct weights, unstake, conviction lock, proposal and vote.</summary>
public sealed class LedgerStakeGovernanceTests
{
    private static int Code(JsonElement receipt) => receipt.GetProperty("code").GetInt32();

    [Fact]
    public async Task Weights_set_unstake_lock_propose_and_vote_apply_and_a_locked_unstake_is_refused()
    {
        await using var h = await LedgerNodeHarness.StartAsync();
        var alice = await h.CreateWalletAsync("alice");
        var bob = await h.CreateWalletAsync("bob");
        await h.JsonAsync("faucet", "--to", alice, "--amount", "5000");
        await h.JsonAsync("faucet", "--to", bob, "--amount", "10");
        Assert.Equal(0, Code(await h.JsonAsync("subnet", "create", "--wallet", "alice")));
        Assert.Equal(0, Code(await h.JsonAsync("subnet", "set", "--wallet", "alice", "--netuid", "1", "--param", "CommitRevealEnabled", "--value", "0")));
        Assert.Equal(0, Code(await h.JsonAsync("register", "--wallet", "bob", "--netuid", "1")));
        Assert.Equal(0, Code(await h.JsonAsync("stake", "add", "--wallet", "alice", "--netuid", "1", "--amount", "200")));

        Assert.Equal(0, Code(await h.JsonAsync("weights", "set", "--wallet", "alice", "--netuid", "1", "--uids", "0,1", "--values", "10,20")));
        var row = (await h.JsonAsync("metagraph", "--netuid", "1")).GetProperty("neurons")[0].GetProperty("weights");
        // Stored max-upscaled: 10/20 · 65535 = 32767.5, rounded to nearest.
        Assert.Equal([[0, 32768], [1, 65535]], row.EnumerateArray().Select(e => e.EnumerateArray().Select(x => x.GetInt32()).ToArray()));

        var before = (await h.JsonAsync("balance", "--wallet", "alice")).GetProperty("balance").GetUInt64();
        var unstaked = await h.JsonAsync("stake", "remove", "--wallet", "alice", "--netuid", "1", "--amount", "1.5");
        Assert.Equal(0, Code(unstaked));
        var after = (await h.JsonAsync("balance", "--wallet", "alice")).GetProperty("balance").GetUInt64();
        Assert.True(after > before, $"unstaking 1.5 alpha paid no TAO ({before} -> {after})");

        Assert.Equal(0, Code(await h.JsonAsync("lock", "--wallet", "alice", "--netuid", "1", "--amount", "50", "--duration", "216000")));
        var position = (await h.JsonAsync("stake", "list", "--wallet", "alice"))[0];
        Assert.Equal(50_000_000_000UL, position.GetProperty("locked").GetUInt64());
        var everything = Agora.Cli.Commands.TaoAmount.Format(position.GetProperty("alpha").GetUInt64());
        var refused = await h.RunAsync("stake", "remove", "--wallet", "alice", "--netuid", "1", "--amount", everything);
        Assert.Equal(1, refused.Code);
        Assert.Contains("(21 StakeLocked)", refused.Err, StringComparison.Ordinal);

        Assert.Equal(0, Code(await h.JsonAsync("propose", "--wallet", "alice", "--param", "MaxSubnets", "--value", "64")));
        Assert.Equal(0, Code(await h.JsonAsync("vote", "--wallet", "alice", "--proposal", "1")));
        var proposals = h.Node.Read(a => a.Query.Proposals());
        var vote = Assert.Single(Assert.Single(proposals).Votes);
        Assert.True(vote.Vote.Approve);

        var noWeight = await h.RunAsync("vote", "--wallet", "bob", "--proposal", "1", "--reject");
        Assert.Equal(1, noWeight.Code);
        Assert.Contains("NoConvictionWeight", noWeight.Err, StringComparison.Ordinal);
    }
}
