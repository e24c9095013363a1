using Agora.Artifacts;
using Agora.Core.Crypto;
using Agora.Ledger.State;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles.Adversarial;

/// <summary>
/// The lead validator (most stake, which anyone can buy) turns hostile: it publishes a NaN checkpoint, a checkpoint
/// nobody signed or someone else signed, an aggregate that is not the aggregate of its selection, or vouches alone for
/// a forged checkpoint. Every honest peer keeps one finite θ, the same as the others'.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class MaliciousLeadTests
{
    private const int Lead = 0;

    [Theory]
    [InlineData("nan-signed-by-the-lead")]
    [InlineData("shifted-unsigned")]
    [InlineData("shifted-signed-by-another-key")]
    public async Task A_lead_checkpoint_that_is_NaN_unsigned_or_wrongly_signed_is_refused_and_honest_peers_keep_one_finite_theta(string forgery)
    {
        using var subnet = new SubnetHarness("badckpt", "bc", minerCount: 2, innerSteps: 2, validatorCount: 2);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var follower = subnet.NewValidator(1, stakeRao: 50 * GlobalParameters.Tao);
        var lead = subnet.NewValidator(Lead);
        ValidatorRole[] validators = [follower, lead];
        await subnet.RunBlocks(32, () => validators, miners);
        Assert.True(lead.Status.IsLead);

        // A checkpoint for window 4, which the lead does not checkpoint itself (it does at 5, 10, ... and its first window).
        const ulong target = 4;
        var p = lead.Theta.Length;
        var values = forgery.StartsWith("nan", StringComparison.Ordinal)
            ? Enumerable.Repeat(float.NaN, p).ToArray()
            : lead.Theta.ToArray().Select(x => x + 0.25f).ToArray();
        var key = Publication.CheckpointKey(target);
        var bytes = Publication.EncodeVector(values);
        var store = new FileArtifactStore(subnet.ValidatorStoreDirectory(Lead));
        if (forgery != "shifted-unsigned")
        {
            var signer = forgery == "shifted-signed-by-another-key" ? subnet.MinerKeys(0).Hot : subnet.ValidatorHotkey(Lead);
            await store.PutAsync(Publication.SignatureKey(key), Publication.Sign(signer, subnet.Setup.Netuid, key, bytes));
        }

        await store.PutAsync(key, bytes);
        await subnet.RunBlocks(22, () => validators, miners);
        Assert.True(follower.Status.ScoredWindow >= target, $"the follower applied up to window {follower.Status.ScoredWindow}");
        Assert.True(miners.All(m => m.Status.TrainedWindow > target));

        var theta = lead.Theta.ToArray();
        Assert.All(theta, x => Assert.True(float.IsFinite(x)));
        Assert.Equal(Bits(theta), Bits(follower.Theta.ToArray()));
        Assert.All(miners, m => Assert.Equal(Bits(theta), Bits(m.Theta.ToArray())));
    }

    [Fact]
    public async Task A_lead_aggregate_that_does_not_match_its_selection_is_refused_and_theta_stays_finite_and_converges()
    {
        using var subnet = new SubnetHarness("badagg", "ba", minerCount: 2, innerSteps: 2, validatorCount: 2);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var follower = subnet.NewValidator(1, stakeRao: 50 * GlobalParameters.Tao);
        var lead = subnet.NewValidator(Lead);
        var store = new FileArtifactStore(subnet.ValidatorStoreDirectory(Lead));
        var leadKey = subnet.ValidatorHotkey(Lead);
        var netuid = subnet.Setup.Netuid;
        const ulong target = 3;
        var forged = false;
        for (var b = 0; b < 75; b++)
        {
            subnet.Node.ProduceBlock();
            await lead.TickAsync();
            if (!forged && lead.Status.ScoredWindow == target)
            {
                // The lead's selection names one payload where there is none (so no peer can recompute it) and its
                // aggregate is NaN; both are properly signed by the lead.
                var selKey = Publication.SelectionKey(target);
                var (_, selection) = Publication.DecodeSelection(await store.GetAsync(selKey, 1 << 20));
                Assert.NotEmpty(selection);
                var bad = selection.Select((s, i) => i == 0 ? s with { Key = "payloads/missing.bin" } : s).ToList();
                var aggKey = Publication.AggregateKey(target);
                var nan = Publication.EncodeVector(Enumerable.Repeat(float.NaN, lead.Theta.Length).ToArray());
                var selBytes = Publication.EncodeSelection(target, bad);
                await store.PutAsync(Publication.SignatureKey(aggKey), Publication.Sign(leadKey, netuid, aggKey, nan));
                await store.PutAsync(aggKey, nan);
                await store.PutAsync(Publication.SignatureKey(selKey), Publication.Sign(leadKey, netuid, selKey, selBytes));
                await store.PutAsync(selKey, selBytes);
                forged = true;
            }

            await follower.TickAsync();
            foreach (var m in miners)
            {
                await m.TickAsync();
            }

            // Refused input leaves θ finite at every moment, on every peer.
            Assert.All(follower.Theta.ToArray(), x => Assert.True(float.IsFinite(x), $"block {b}: the follower's θ is not finite"));
            Assert.All(miners, m => Assert.All(m.Theta.ToArray(), x => Assert.True(float.IsFinite(x), $"block {b}: a miner's θ is not finite")));
        }

        Assert.True(forged);
        Assert.True(follower.Status.ScoredWindow >= 6, $"the follower applied up to window {follower.Status.ScoredWindow}");

        // The lead's checkpoint of window 5 brings every peer back to one θ.
        var theta = Bits(lead.Theta.ToArray());
        Assert.Equal(theta, Bits(follower.Theta.ToArray()));
        Assert.All(miners, m => Assert.Equal(theta, Bits(m.Theta.ToArray())));
    }

    [Fact]
    public async Task A_joining_miner_refuses_a_checkpoint_that_only_a_minority_of_validator_stake_vouches_for()
    {
        using var subnet = new SubnetHarness("minority", "mn", minerCount: 3, innerSteps: 2, validatorCount: 3);
        var miners = new List<MinerRole> { subnet.NewMiner(0, MinerBehavior.Honest), subnet.NewMiner(1, MinerBehavior.Honest) };
        var lead = subnet.NewValidator(Lead);
        ValidatorRole[] validators = [subnet.NewValidator(1, stakeRao: 90 * GlobalParameters.Tao), subnet.NewValidator(2, stakeRao: 90 * GlobalParameters.Tao), lead];
        await subnet.RunBlocks(61, () => validators, miners);
        var stakes = subnet.Ledger.Neurons(1).Where(n => validators.Any(v => v.Status.Uid == n.Uid)).ToDictionary(n => n.Uid, n => (double)n.Stake);
        var leadUid = (ushort)lead.Status.Uid!.Value;
        Assert.True(lead.Status.IsLead && stakes[leadUid] * 2 < stakes.Values.Sum(), $"the lead holds {stakes[leadUid]} of {stakes.Values.Sum()}");
        Assert.True(validators[0].Status.ScoredWindow >= 5);

        // The lead forges θ for window 6 in its store, signs it, and vouches for it on the ledger: alone.
        const ulong forgedWindow = 6;
        var forged = Publication.EncodeVector(lead.Theta.ToArray().Select(x => x + 0.5f).ToArray());
        var key = Publication.CheckpointKey(forgedWindow);
        var store = new FileArtifactStore(subnet.ValidatorStoreDirectory(Lead));
        await store.PutAsync(Publication.SignatureKey(key), Publication.Sign(subnet.ValidatorHotkey(Lead), subnet.Setup.Netuid, key, forged));
        await store.PutAsync(key, forged);
        // It keeps the selection digests it committed (a lead that dropped them would only make peers stop following it).
        var held = (await subnet.Board.ReadAsync(subnet.Setup.Netuid)).Select(e => RoleCommitment.TryDecode(e.Data))
            .Single(c => c is { Kind: RoleKind.Validator } && c.Store == store.Location)!;
        await subnet.Board.PublishAsync(subnet.ValidatorHotkey(Lead), subnet.Setup.Netuid,
            RoleCommitment.ForValidator(store.Location, (forgedWindow, Blake2b.Hash256(forged)), held.Selections).Encode());

        // A miner joins now (window 6, before its deadline): it must start from the checkpoint of window 5 that the
        // other validators (most of the stake) vouch for, and replay window 5 to the honest validators' θ.
        var late = subnet.NewMiner(2, MinerBehavior.Honest);
        miners.Add(late);
        await subnet.RunBlocks(4, () => validators, miners);
        Assert.Equal(6UL, subnet.Setup.Clock.WindowOf(subnet.Ledger.Height));
        Assert.NotNull(late.Status.Uid);
        Assert.NotEqual(Bits(Publication.DecodeVector(forged, lead.Theta.Length)), Bits(late.Theta.ToArray()));
        Assert.Equal(Bits(validators[0].Theta.ToArray()), Bits(late.Theta.ToArray()));
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
