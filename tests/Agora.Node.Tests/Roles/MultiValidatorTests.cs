using Agora.Ledger.State;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>Two validators (and a third that joins late) and three honest miners on one ledger: each validator judges on its own, all keep one θ.</summary>
public sealed class MultiValidatorTests
{
    [Fact]
    public async Task Validators_each_score_set_weights_and_earn_while_every_peer_and_a_late_joining_validator_keep_the_same_theta()
    {
        using var subnet = new SubnetHarness("multi", "mv", minerCount: 3, innerSteps: 2, validatorCount: 3);
        var miners = Enumerable.Range(0, 3).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();

        // Validator 0 (the owner's hotkey, most stake) leads; validator 1 ticks first each block, so it waits for the lead.
        ValidatorRole[] validators = [subnet.NewValidator(1, stakeRao: 50 * GlobalParameters.Tao), subnet.NewValidator(0)];
        await subnet.RunBlocks(30, () => validators, miners);
        var stakeAt30 = subnet.Ledger.Neurons(1).ToDictionary(n => n.Uid, n => n.Stake);

        // Incentive follows the last revealed weights, where a miner ranked last in a window may get none; so it is
        // looked at after every epoch (tempo 10), and stake growth shows the emission it brought.
        var incentive = new Dictionary<ushort, ushort>();
        for (var epoch = 0; epoch < 9; epoch++)
        {
            await subnet.RunBlocks(10, () => validators, miners);
            if (epoch == 2)
            {
                // A third validator joins in window 6 (block 65): it starts from the lead's checkpoint of window 5,
                // replays window 5 from the lead's selection and scores from window 6 on (at block 68).
                await subnet.RunBlocks(5, () => validators, miners);
                validators = [.. validators, subnet.NewValidator(2, stakeRao: 20 * GlobalParameters.Tao)];
            }

            if (epoch == 3)
            {
                Assert.Equal([(ulong)5, 6], validators[2].Status.LossHistory.Select(l => l.Window));
                Assert.Equal(Bits(validators[1].Theta.ToArray()), Bits(validators[2].Theta.ToArray()));
            }

            foreach (var n in subnet.Ledger.Neurons(1))
            {
                incentive[n.Uid] = Math.Max(incentive.GetValueOrDefault(n.Uid), n.Incentive);
            }
        }

        var neurons = subnet.Ledger.Neurons(1).ToDictionary(n => n.Uid);
        var validatorUids = validators.Select(v => (uint)v.Status.Uid!.Value).ToArray();
        var (follower, lead, late) = (validators[0], validators[1], validators[2]);
        Assert.True(lead.Status.IsLead && !follower.Status.IsLead);
        Assert.Equal(lead.Status.Uid, follower.Status.LeadUid);
        Assert.True(follower.Status.FollowedLead, "the follower applied the lead's selection");
        Assert.Equal(lead.Status.Uid, late.Status.LeadUid);
        Assert.True(late.Status.FollowedLead);
        Assert.Equal(miners.Select(m => (uint)m.Status.Uid!.Value).Order(), late.GauntletState!.Miners.Keys);
        Assert.Equal(Bits(lead.Theta.ToArray()), Bits(late.Theta.ToArray()));
        foreach (var v in validators.Take(2))
        {
            var uid = (ushort)v.Status.Uid!.Value;
            Assert.Equal(11UL, v.Status.ScoredWindow);
            Assert.True(v.Weights.Commits > 0 && v.Weights.Reveals > 0, $"validator {uid}: {v.Weights.Commits} commits, {v.Weights.Reveals} reveals, {v.Weights.LastError}");
            Assert.True(neurons[uid].Dividends > 0 && neurons[uid].Stake > stakeAt30[uid], $"validator {uid} earned no dividends");
            Assert.DoesNotContain(v.Status.Miners, m => validatorUids.Contains(m.Uid));
            Assert.Equal(3, v.Status.Miners.Count);
            Assert.Equal(Bits(lead.Theta.ToArray()), Bits(v.Theta.ToArray()));
        }

        // Ratings are relative: among three equally honest miners one can rank last in most windows, its μ − 3σ turns
        // negative and it earns nothing for a while (the devnet system test, with a copycat to outrank, checks that every
        // honest miner is paid). Here the validators' weights must pay most of the miners.
        var paid = miners.Select(m => (ushort)m.Status.Uid!.Value).Where(uid => incentive[uid] > 0 && neurons[uid].Stake > stakeAt30[uid]).ToList();
        Assert.True(paid.Count >= 2, $"only UIDs {string.Join(", ", paid)} of the three honest miners earned");
        foreach (var m in miners)
        {
            Assert.Equal(Bits(lead.Theta.ToArray()), Bits(m.Theta.ToArray()));
        }
    }

    [Fact]
    public async Task A_registered_neuron_that_has_not_declared_a_role_is_not_rated_as_a_missing_miner()
    {
        // Validator 1 registers (one tick sends the transaction) and then stays silent, as a validator process does between
        // its registration and its commitment: the scoring validator must not take it for a miner that sent nothing.
        using var subnet = new SubnetHarness("undeclared", "ud", minerCount: 2, innerSteps: 1, validatorCount: 2);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var silent = subnet.NewValidator(1);
        await silent.TickAsync();
        var validator = subnet.NewValidator(0);
        await subnet.RunBlocks(40, () => validator, miners);

        var silentHotkey = subnet.Ledger.Neurons(1).Where(n => !miners.Any(m => m.Status.Uid == n.Uid) && n.Uid != validator.Status.Uid).ToList();
        Assert.Single(silentHotkey);
        Assert.True(validator.Status.ScoredWindow >= 2, $"scored up to window {validator.Status.ScoredWindow}");
        Assert.Equal(miners.Select(m => (uint)m.Status.Uid!.Value).Order(), validator.GauntletState!.Miners.Keys.Order());
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
