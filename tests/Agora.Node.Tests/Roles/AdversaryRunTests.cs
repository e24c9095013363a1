using Agora.Gauntlet.Acceptance;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>Two honest miners beside a noise, a poison and a late miner on a real ledger node, driven block by block.</summary>
public sealed class AdversaryRunTests
{
    [Fact]
    public async Task Honest_miners_get_paid_while_noise_poison_and_late_miners_earn_nothing()
    {
        MinerBehavior[] kinds = [MinerBehavior.Honest, MinerBehavior.Honest, MinerBehavior.Noise, MinerBehavior.Poison, MinerBehavior.Late];
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
        Assert.Equal(0, last[(uint)miners[2].Status.Uid!.Value].Weight);

        var neurons = subnet.Ledger.Neurons(1).ToDictionary(n => n.Uid);
        for (var i = 0; i < kinds.Length; i++)
        {
            var uid = (ushort)miners[i].Status.Uid!.Value;
            Assert.True(miners[i].Status.TrainedWindow is not null, $"{kinds[i]} miner {i} never produced a payload");
            if (kinds[i] == MinerBehavior.Honest)
            {
                Assert.True(neurons[uid].Incentive > 0, $"honest miner {i} (UID {uid}) has no incentive");
            }
            else
            {
                Assert.True(neurons[uid].Incentive == 0, $"{kinds[i]} miner {i} (UID {uid}) earned incentive {neurons[uid].Incentive}");
            }
        }
    }
}
