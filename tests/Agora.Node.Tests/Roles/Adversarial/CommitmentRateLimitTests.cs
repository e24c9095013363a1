using Agora.Core.Crypto;
using Agora.Ledger.State;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles.Adversarial;

/// <summary>
/// The ledger refuses a validator's commitment posts that come too soon after its last (its SetCommitment rate limit).
/// A refused post is not fatal: the validator keeps stepping windows and posts again later, its followers fall back
/// for a window whose selection digest is not on the ledger, and every honest peer keeps one θ.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class CommitmentRateLimitTests
{
    [Fact]
    public async Task A_lead_whose_commitment_posts_are_refused_by_a_rate_limit_keeps_stepping_and_peers_keep_one_theta()
    {
        using var subnet = new SubnetHarness("ratelimit", "rl", minerCount: 2, innerSteps: 2, validatorCount: 2);
        var limited = new RateLimitedBoard(subnet.Board, subnet.Ledger, blocks: 15);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var follower = subnet.NewValidator(1, stakeRao: 50 * GlobalParameters.Tao);
        var lead = subnet.NewValidator(0, board: limited);
        ValidatorRole[] validators = [follower, lead];
        await subnet.RunBlocks(75, () => validators, miners);

        Assert.True(limited.Refused > 0, "no post was refused");
        Assert.True(lead.Status.IsLead);
        Assert.True(lead.Status.ScoredWindow >= 6, $"the lead applied up to window {lead.Status.ScoredWindow}");
        Assert.True(follower.Status.ScoredWindow >= 6, $"the follower applied up to window {follower.Status.ScoredWindow}");
        var theta = lead.Theta.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
        Assert.Equal(theta, follower.Theta.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.All(miners, m => Assert.Equal(theta, m.Theta.ToArray().Select(BitConverter.SingleToInt32Bits)));
    }

    /// <summary>Refuses (as the ledger does, <see cref="LedgerRejectedException"/>) a post less than <c>blocks</c> after the same hotkey's last accepted one.</summary>
    private sealed class RateLimitedBoard(ICommitmentBoard inner, ISubnetLedger ledger, ulong blocks) : ICommitmentBoard
    {
        private readonly Dictionary<string, ulong> _last = new(StringComparer.Ordinal);

        public int Refused { get; private set; }

        public Task PublishAsync(Ed25519KeyPair hotkey, ushort netuid, byte[] data, CancellationToken cancellationToken = default)
        {
            var who = Convert.ToHexStringLower(hotkey.PublicKey);
            var height = ledger.Height;
            if (_last.TryGetValue(who, out var last) && height < last + blocks)
            {
                Refused++;
                throw new LedgerRejectedException(1, $"commitment rate limit: last set at block {last}, next allowed at {last + blocks}");
            }

            _last[who] = height;
            return inner.PublishAsync(hotkey, netuid, data, cancellationToken);
        }

        public Task<IReadOnlyList<BoardEntry>> ReadAsync(ushort netuid, CancellationToken cancellationToken = default) => inner.ReadAsync(netuid, cancellationToken);
    }
}
