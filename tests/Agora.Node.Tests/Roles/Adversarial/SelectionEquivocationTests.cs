using Agora.Artifacts;
using Agora.Core.Crypto;
using Agora.Ledger.State;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles.Adversarial;

/// <summary>
/// A lead validator equivocates on its selection: it commits the digest of one selection on the ledger and then shows
/// peers another one, validly signed by its hotkey (overwriting the object between their reads). Followers apply a
/// lead's selection only when its digest is the committed one, so honest peers refuse it and keep one identical θ.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class SelectionEquivocationTests
{
    private const int Lead = 0;

    [Fact]
    public async Task A_lead_selection_whose_digest_differs_from_its_ledger_commitment_is_refused_and_honest_peers_keep_one_theta()
    {
        using var subnet = new SubnetHarness("equivocate", "eq", minerCount: 2, innerSteps: 2, validatorCount: 2);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var follower = subnet.NewValidator(1, stakeRao: 50 * GlobalParameters.Tao);
        var lead = subnet.NewValidator(Lead);
        var store = new FileArtifactStore(subnet.ValidatorStoreDirectory(Lead));
        var leadKey = subnet.ValidatorHotkey(Lead);
        var netuid = subnet.Setup.Netuid;
        const ulong target = 3;
        byte[]? committed = null;
        byte[]? shown = null;
        var followedTarget = false;

        // Up to block 55: every peer has applied windows up to 4 and nobody has adopted the lead's checkpoint of window 5,
        // which would mend a divergence and hide it.
        for (var b = 0; b < 55; b++)
        {
            subnet.Node.ProduceBlock();
            await lead.TickAsync();
            if (shown is null && lead.Status.ScoredWindow == target)
            {
                // The lead has published its selection and sent the commitment with its digest. Now it re-publishes a
                // different selection (one payload fewer), properly signed by its own hotkey.
                var selKey = Publication.SelectionKey(target);
                committed = await store.GetAsync(selKey, Publication.MaxSelectionBytes);
                var (_, selection) = Publication.DecodeSelection(committed);
                Assert.NotEmpty(selection);
                shown = Publication.EncodeSelection(target, [.. selection.Skip(1)]);
                await store.PutAsync(Publication.SignatureKey(selKey), Publication.Sign(leadKey, netuid, selKey, shown));
                await store.PutAsync(selKey, shown);
            }

            await follower.TickAsync();
            if (follower.Status.ScoredWindow == target && follower.Status.FollowedLead)
            {
                followedTarget = true;
            }

            foreach (var m in miners)
            {
                await m.TickAsync();
            }
        }

        Assert.NotNull(shown);
        Assert.Equal(4UL, follower.Status.ScoredWindow);
        Assert.Equal(4UL, lead.Status.ScoredWindow);
        Assert.All(miners, m => Assert.Equal(5UL, m.Status.TrainedWindow));

        // The ledger holds the digest of what the lead applied itself, not of what it showed.
        var onLedger = (await subnet.Board.ReadAsync(netuid)).Select(e => RoleCommitment.TryDecode(e.Data))
            .Single(c => c is { Kind: RoleKind.Validator } && c.Store == store.Location)!;
        Assert.Equal(Blake2b.Hash256(committed!), onLedger.SelectionDigest(target));
        Assert.False(followedTarget, "the follower applied the selection whose digest differs from the lead's commitment");

        // The follower applied its own selection instead; it and every miner hold the lead's θ, bit for bit.
        var theta = lead.Theta.ToArray();
        Assert.All(theta, x => Assert.True(float.IsFinite(x)));
        Assert.Equal(Bits(theta), Bits(follower.Theta.ToArray()));
        Assert.All(miners, m => Assert.Equal(Bits(theta), Bits(m.Theta.ToArray())));
    }

    [Fact]
    public async Task An_honest_lead_selection_matching_its_ledger_commitment_is_applied_by_the_follower()
    {
        using var subnet = new SubnetHarness("honestsel", "hs", minerCount: 2, innerSteps: 2, validatorCount: 2);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var follower = subnet.NewValidator(1, stakeRao: 50 * GlobalParameters.Tao);
        var lead = subnet.NewValidator(Lead);
        ValidatorRole[] validators = [follower, lead];
        for (var b = 0; b < 60 && follower.Status.ScoredWindow is not >= 3; b++)
        {
            await subnet.RunBlocks(1, () => validators, miners);
        }

        Assert.True(lead.Status.IsLead);
        Assert.Equal(3UL, follower.Status.ScoredWindow);
        Assert.True(follower.Status.FollowedLead, "the follower did not apply the honest lead's committed selection");

        var store = new FileArtifactStore(subnet.ValidatorStoreDirectory(Lead));
        var published = await store.GetAsync(Publication.SelectionKey(3), Publication.MaxSelectionBytes);
        var onLedger = (await subnet.Board.ReadAsync(subnet.Setup.Netuid)).Select(e => RoleCommitment.TryDecode(e.Data))
            .Single(c => c is { Kind: RoleKind.Validator } && c.Store == store.Location)!;
        Assert.Equal(Blake2b.Hash256(published), onLedger.SelectionDigest(3));
        Assert.Equal(Bits(lead.Theta.ToArray()), Bits(follower.Theta.ToArray()));
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
