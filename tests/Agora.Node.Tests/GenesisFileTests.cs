using Agora.Ledger.App;
using Agora.Ledger.Primitives;
using Agora.Node.Ledger;

namespace Agora.Node.Tests;

public sealed class GenesisFileTests
{
    [Fact]
    public void The_default_genesis_funds_the_dev_faucet()
    {
        var config = GenesisFile.Parse(GenesisFile.DefaultJson(), "default");
        Assert.Equal("agora-devnet", config.ChainId);
        var app = LedgerApp.FromGenesis(config);
        Assert.Equal(GenesisFile.DevFaucetBalance, app.Query.GetAccount(new AccountId(GenesisFile.DevFaucet.PublicKey)).Balance);
    }

    [Fact]
    public void Tempo_override_applies_to_every_genesis_subnet()
    {
        var config = GenesisFile.Parse(NodeFixtures.GenesisJson(), "test", tempoOverride: 7);
        Assert.Equal(7, Assert.Single(config.Subnets).Hyper.Tempo);
        Assert.Equal(10, Assert.Single(GenesisFile.Parse(NodeFixtures.GenesisJson(), "test").Subnets).Hyper.Tempo);
    }

    [Theory]
    [InlineData("{", "is not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{}", "'chain_id' is missing")]
    [InlineData("{\"chain_id\":\"x\",\"params\":{\"NoSuch\":1}}", "unknown global parameter 'NoSuch'")]
    [InlineData("{\"chain_id\":\"x\",\"balances\":[{\"address\":\"abc\",\"balance\":1}]}", "'address'")]
    [InlineData("{\"chain_id\":\"x\",\"balances\":[{\"address\":\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\",\"balance\":-1}]}", "'balance' must be a non-negative integer")]
    [InlineData("{\"chain_id\":\"x\",\"params\":{\"MaxSubnets\":0}}", "outside")]
    public void Bad_genesis_files_are_rejected_with_the_reason(string json, string reason)
    {
        var e = Assert.Throws<FormatException>(() => GenesisFile.Parse(json, "g.json"));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("250ms", 250)]
    [InlineData("2m", 120_000)]
    [InlineData("3", 3000)]
    public void Durations_parse_with_units(string text, int milliseconds)
        => Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), NodeHost.ParseDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("-1s")]
    [InlineData("0s")]
    [InlineData("1h")]
    [InlineData("1.5s")]
    public void Bad_durations_are_rejected(string text)
        => Assert.Throws<FormatException>(() => NodeHost.ParseDuration(text));
}
