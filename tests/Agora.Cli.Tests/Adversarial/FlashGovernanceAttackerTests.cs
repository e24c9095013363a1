using Agora.Core.Crypto;
using Agora.Ledger.Primitives;
using Agora.Node.Devnet;
using Agora.Node.Ledger;

namespace Agora.Cli.Tests.Adversarial;

/// <summary>The devnet's flash-gov attacker (GovernanceAttacker) against a real in-process node, talking to it over RPC only.</summary>
[Trait("Category", "Adversarial")]
public sealed class FlashGovernanceAttackerTests
{
    [Fact]
    public async Task Flash_locking_governance_attacker_gets_no_short_lock_no_unstake_and_its_bankroll_votes_once()
    {
        await using var h = await LedgerNodeHarness.StartAsync();
        var owner = await h.CreateWalletAsync("owner");
        await h.JsonAsync("faucet", "--to", owner, "--amount", "5000");
        Assert.Equal(0, (await h.JsonAsync("subnet", "create", "--wallet", "owner")).GetProperty("code").GetInt32());
        Assert.Equal(0, (await h.JsonAsync("subnet", "set", "--wallet", "owner", "--netuid", "1", "--param", "Tempo", "--value", "2")).GetProperty("code").GetInt32());
        Assert.Equal(0, (await h.JsonAsync("stake", "add", "--wallet", "owner", "--netuid", "1", "--amount", "100")).GetProperty("code").GetInt32());

        IReadOnlyList<(string Name, Ed25519KeyPair Key)> coldkeys = [("flashgov0", Ed25519KeyPair.Generate()), ("flashgov0b", Ed25519KeyPair.Generate()), ("flashgov0c", Ed25519KeyPair.Generate())];
        await h.JsonAsync("faucet", "--to", new AccountId(coldkeys[0].Key.PublicKey).ToAddress(), "--amount", "2000");
        using var client = new LedgerClient(new Uri(h.Url));
        using var log = new StringWriter();
        var state = Path.Combine(h.Dir, "flashgov0");
        var attacker = new GovernanceAttacker(client, coldkeys, 1, state, log);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await attacker.RunAsync(limit.Token);

        var (attackState, proposalId, _, steps) = GovernanceAttacker.ReadStatus(attacker.StatusPath);
        var record = string.Join("\n", steps.Select(s => $"{s.Coldkey} {s.Action}: {s.Accepted} {s.CodeName} {s.Message}")) + "\n" + log;
        Assert.True(attackState == "done", record);
        Assert.Equal(attacker.ProposalId, proposalId);
        var flash = Assert.Single(steps, s => s.Action == "lock-2-blocks");
        Assert.Equal((false, "InvalidDuration"), (flash.Accepted, flash.CodeName));
        var unstakes = steps.Where(s => s.Action == "unstake").ToList();
        Assert.Equal(3, unstakes.Count);
        Assert.All(unstakes, s => Assert.Equal((false, "StakeLocked"), (s.Accepted, s.CodeName)));
        Assert.Equal(["flashgov0", "flashgov0b", "flashgov0c"], steps.Where(s => s.Action == "vote-yes" && s.Accepted).Select(s => s.Coldkey));
        Assert.Equal(steps.Count, log.ToString().Split('\n').Count(l => l.StartsWith("flash-gov: flashgov0", StringComparison.Ordinal)));

        // One vote per coldkey; each later coldkey votes only with what the first left unstaked, so together they stay
        // under twice the first's weight, and MinTxFee is what it was (the proposal is still voting).
        var proposal = Assert.Single(await client.GetProposalsAsync(), p => p.Id == proposalId);
        Assert.Equal(("MinTxFee", "Voting"), (proposal.Parameter, proposal.Status));
        Assert.Equal(3, proposal.Votes.Count);
        var first = proposal.Votes.Single(v => v.Voter == new AccountId(coldkeys[0].Key.PublicKey).ToAddress()).Weight;
        Assert.Equal(proposal.Votes.Aggregate(UInt128.Zero, (a, v) => a + v.Weight), proposal.YesWeight);
        Assert.True(proposal.YesWeight < 2 * first, $"yes {proposal.YesWeight}, first coldkey {first}");
        Assert.Equal(0UL, (await client.GetStatusAsync()).MinTxFee);
    }

    [Fact]
    public async Task Flash_gov_attacker_against_a_node_that_is_gone_records_the_error_and_returns()
    {
        var dir = Directory.CreateTempSubdirectory("agora-flashgov-").FullName;
        try
        {
            // A port nobody listens on: the attacker keeps waiting for a validator until cancelled, and never throws.
            using var client = new LedgerClient(new Uri("http://127.0.0.1:9/"), TimeSpan.FromSeconds(2));
            using var log = new StringWriter();
            var attacker = new GovernanceAttacker(client, [("flashgov0", Ed25519KeyPair.Generate())], 1, dir, log);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await attacker.RunAsync(stop.Token);
            Assert.Equal("stopped", GovernanceAttacker.ReadStatus(attacker.StatusPath).State);
            Assert.Empty(attacker.Steps);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
