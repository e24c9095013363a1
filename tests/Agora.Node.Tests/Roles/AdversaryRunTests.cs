using Agora.Gauntlet.Acceptance;
using Agora.Node.Roles;
using Xunit.Abstractions;

namespace Agora.Node.Tests.Roles;

/// <summary>Two honest miners beside a noise, a poison, a late and a lazy miner on a real ledger node, driven block by block.</summary>
public sealed class AdversaryRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Honest_miners_earn_while_poison_and_late_miners_earn_nothing_and_noise_and_lazy_far_less()
    {
        MinerBehavior[] kinds = [MinerBehavior.Honest, MinerBehavior.Honest, MinerBehavior.Noise, MinerBehavior.Poison, MinerBehavior.Late, MinerBehavior.Lazy];
        using var subnet = new SubnetHarness("adv", "adv", kinds.Length, innerSteps: 4);
        var miners = kinds.Select((k, i) => subnet.NewMiner(i, k)).ToArray();
        var validator = subnet.NewValidator();
        await subnet.RunBlocks(200, () => validator, miners);

        // The validator's last window: the poison payload frames validly but its loss improvement averages negative; the late one is refused.
        var last = validator.Status.Miners.ToDictionary(r => r.Uid);
        var poison = last[(uint)miners[3].Status.Uid!.Value];
        var late = last[(uint)miners[4].Status.Uid!.Value];
        Assert.True(poison.Bma < 0 && poison.Weight == 0, $"poison was not found harmful: {poison}");
        Assert.True(late.Reason == RejectionReason.Late && late.Weight == 0, $"late: {late.Reason} {late.Message} weight {late.Weight}");

        // What each earned over the whole run: emission is staked to the miner's hotkey, so its stake is its pay.
        var neurons = subnet.Ledger.Neurons(1).ToDictionary(n => n.Uid);
        var earned = miners.Select(m => neurons[(ushort)m.Status.Uid!.Value].Stake).ToArray();
        for (var i = 0; i < kinds.Length; i++)
        {
            output.WriteLine($"{kinds[i]} UID {miners[i].Status.Uid}: earned {earned[i]} rao, last window weight {last[(uint)miners[i].Status.Uid!.Value].Weight}");
            Assert.True(miners[i].Status.TrainedWindow is not null, $"{kinds[i]} miner {i} never produced a payload");
        }

        var leastHonest = Enumerable.Range(0, kinds.Length).Where(i => kinds[i] == MinerBehavior.Honest).Min(i => earned[i]);
        Assert.True(leastHonest > 0, "an honest miner earned nothing");
        Assert.Equal(0UL, earned[3]);
        Assert.Equal(0UL, earned[4]);

        // Ratings are relative (one Plackett-Luce match per window), so a noise or a one-step lazy miner that outranks the
        // poison and late miners can hold a positive rating, and the BMA of an update that does not train on the miner's own
        // pages is a coin flip around zero: they may be paid in the odd window, never as much as an honest miner. Seeds
        // differ per run (store paths go on chain); over 23 runs noise earned at most 30 % of the least-paid honest miner
        // and 12 % of the honest miners' total, lazy at most 48 % of the least-paid one: the bounds below leave twice that.
        var honest = Enumerable.Range(0, kinds.Length).Where(i => kinds[i] == MinerBehavior.Honest).Sum(i => (double)earned[i]);
        Assert.True(earned[2] < leastHonest && earned[2] * 4.0 < honest, $"noise earned {earned[2]} rao, the honest miners {honest} (least {leastHonest})");
        Assert.True(earned[5] < leastHonest, $"lazy earned {earned[5]} rao, the least honest miner {leastHonest}");
    }
}
