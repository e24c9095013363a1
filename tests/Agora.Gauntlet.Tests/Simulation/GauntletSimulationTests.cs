using Agora.Gauntlet.Scoring;
using Agora.Gauntlet.Simulation;

namespace Agora.Gauntlet.Tests.Simulation;

public sealed class GauntletSimulationTests
{
    private static readonly Lazy<(GauntletSimulation Sim, IReadOnlyList<SimulatedWindow> Windows)> Run = new(() =>
    {
        var sim = new GauntletSimulation(new SimulationOptions
        {
            Windows = 20,
            Miners = MinerMix.Parse("honest:4,copycat:1,noise:1,lazy:1,poison:1,late:1,absent:1"),
            Seed = 1,
        });
        return (sim, sim.Run());
    });

    [Fact]
    public void After_twenty_windows_honest_miners_hold_the_weight_and_cheaters_hold_none()
    {
        (GauntletSimulation sim, IReadOnlyList<SimulatedWindow> windows) = Run.Value;
        Assert.True(SimulationReport.FinalShare(sim.Kinds, windows, SimulatedMinerKind.Honest) >= 0.95);
        foreach (SimulatedMinerKind kind in new[] { SimulatedMinerKind.Copycat, SimulatedMinerKind.Noise, SimulatedMinerKind.Poison, SimulatedMinerKind.Late, SimulatedMinerKind.Absent })
        {
            Assert.Equal(0.0, SimulationReport.FinalShare(sim.Kinds, windows, kind));
        }

        IReadOnlyList<MinerWindowResult> last = windows[^1].Report.Miners;
        double lazy = last.Where(m => sim.Kinds[(int)m.Uid] == SimulatedMinerKind.Lazy).Max(m => m.Final);
        Assert.All(last.Where(m => sim.Kinds[(int)m.Uid] == SimulatedMinerKind.Honest), h => Assert.True(h.Final > lazy));
    }

    [Fact]
    public void Each_cheat_is_caught_by_its_own_mechanism()
    {
        (GauntletSimulation sim, IReadOnlyList<SimulatedWindow> windows) = Run.Value;
        MinerWindowResult Of(SimulatedWindow w, SimulatedMinerKind kind) => w.Report.Miners.First(m => sim.Kinds[(int)m.Uid] == kind);

        Assert.All(windows, w => Assert.True(Of(w, SimulatedMinerKind.Copycat).Copy is { Overlap: >= 0.6 }));
        Assert.All(windows, w => Assert.Equal(Acceptance.RejectionReason.Late, Of(w, SimulatedMinerKind.Late).Reason));
        Assert.All(windows, w => Assert.Equal(Acceptance.RejectionReason.Missing, Of(w, SimulatedMinerKind.Absent).Reason));
        Assert.Contains(windows, w => Of(w, SimulatedMinerKind.Poison).Reason == Acceptance.RejectionReason.ScaleOutOfRange);
        Assert.Contains(windows, w => Of(w, SimulatedMinerKind.Poison).Reason == Acceptance.RejectionReason.NonFinite);
        Assert.Contains(windows, w => Of(w, SimulatedMinerKind.Poison).GradientScore < 0);
        Assert.True(Of(windows[^1], SimulatedMinerKind.Lazy).Bma < Of(windows[^1], SimulatedMinerKind.Honest).Bma);
        Assert.True(windows[^1].Report.RandomLossBefore < windows[0].Report.RandomLossBefore);
        Assert.Equal(20, sim.SetWeights.Count);
    }

    [Fact]
    public void Two_runs_with_the_same_seed_give_identical_reports()
    {
        var options = new SimulationOptions { Windows = 3, Miners = MinerMix.Parse("honest:2,noise:1,copycat:1"), Seed = 7 };
        string Json() => SimulationReport.ToJson("tiny", 7, options.Miners, new GauntletSimulation(options).Run());
        Assert.Equal(Json(), Json());
    }

    [Theory]
    [InlineData("honest", "KIND:COUNT")]
    [InlineData("honest:0", "KIND:COUNT")]
    [InlineData("robot:2", "KIND:COUNT")]
    [InlineData("honest:1", "at least 2")]
    [InlineData("copycat:1,noise:1", "needs an honest")]
    public void Bad_miner_mixes_are_rejected(string mix, string expected)
    {
        Assert.Contains(expected, Assert.Throws<FormatException>(() => MinerMix.Parse(mix)).Message, StringComparison.Ordinal);
    }
}
