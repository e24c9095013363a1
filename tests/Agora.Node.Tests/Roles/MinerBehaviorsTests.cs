using Agora.Node.Devnet;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

public sealed class MinerBehaviorsTests
{
    [Theory]
    [InlineData("honest", MinerBehavior.Honest)]
    [InlineData("copycat", MinerBehavior.Copycat)]
    [InlineData("noise", MinerBehavior.Noise)]
    [InlineData("poison", MinerBehavior.Poison)]
    [InlineData("lazy", MinerBehavior.Lazy)]
    [InlineData("late", MinerBehavior.Late)]
    [InlineData("hostile-uri", MinerBehavior.HostileUri)]
    public void Parse_maps_each_command_line_name_to_its_behavior(string name, MinerBehavior expected) =>
        Assert.Equal(expected, MinerBehaviors.Parse(name));

    [Fact]
    public void Parse_rejects_an_unknown_behavior_naming_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => MinerBehaviors.Parse("bogus"));
        Assert.Contains("bogus", e.Message, StringComparison.Ordinal);
        Assert.Contains("honest, copycat, noise, poison, lazy, late", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAdversary_rejects_honest_since_it_is_no_adversary() =>
        Assert.Throws<ArgumentException>(() => MinerBehaviors.ParseAdversary("honest"));

    [Fact]
    public async Task Devnet_rejects_an_unknown_adversary_with_the_valid_kinds_before_creating_anything()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agora-devnet-bogus-" + Guid.NewGuid().ToString("N"));
        var options = new DevnetOptions { DataDirectory = dir, AgoraAssembly = "agora.dll", Adversaries = ["noise", "bogus"] };
        var supervisor = new DevnetSupervisor(options, TextWriter.Null);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => supervisor.RunAsync(null, CancellationToken.None));
        Assert.Contains("'bogus'", e.Message, StringComparison.Ordinal);
        Assert.Contains("copycat, noise, poison, lazy, late", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}
