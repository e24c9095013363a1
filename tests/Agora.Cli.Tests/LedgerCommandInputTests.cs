using Agora.Cli.Commands;

namespace Agora.Cli.Tests;

public sealed class LedgerCommandInputTests
{
    [Theory]
    [InlineData("1.5", 1_500_000_000UL)]
    [InlineData("0.000000001", 1UL)]
    [InlineData("12", 12_000_000_000UL)]
    [InlineData(".5", 500_000_000UL)]
    [InlineData("7.", 7_000_000_000UL)]
    [InlineData("18446744073.709551615", ulong.MaxValue)]
    public void Tao_amounts_parse_exactly_to_rao(string text, ulong rao)
    {
        Assert.Equal(rao, TaoAmount.Parse(text));
        Assert.Equal(rao, TaoAmount.Parse(TaoAmount.Format(rao)));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-1", "not a non-negative decimal")]
    [InlineData("1e3", "not a non-negative decimal")]
    [InlineData("1.2.3", "not a non-negative decimal")]
    [InlineData(".", "not a non-negative decimal")]
    [InlineData("0.0000000001", "10 decimals")]
    [InlineData("18446744073.709551616", "too large")]
    [InlineData("1,5", "not a non-negative decimal")]
    public void Bad_tao_amounts_are_refused_with_the_reason(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => TaoAmount.Parse(text, "--amount"));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("--amount", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Formatting_trims_trailing_zeros_and_keeps_every_rao()
    {
        Assert.Equal("1.5", TaoAmount.Format(1_500_000_000));
        Assert.Equal("0.000000001", TaoAmount.Format(1));
        Assert.Equal("0", TaoAmount.Format(0));
    }

    [Fact]
    public async Task Bad_addresses_amounts_and_unknown_subnets_fail_with_clear_errors_and_change_nothing()
    {
        await using var h = await LedgerNodeHarness.StartAsync();
        var alice = await h.CreateWalletAsync("alice");
        await h.JsonAsync("faucet", "--to", alice, "--amount", "3000");
        var before = await h.JsonAsync("balance", "--wallet", "alice");

        var badAddress = await h.RunAsync("transfer", "--wallet", "alice", "--to", "5NotAnAddress", "--amount", "1");
        Assert.Equal(1, badAddress.Code);
        Assert.Contains("--to '5NotAnAddress' is not a valid address", badAddress.Err, StringComparison.Ordinal);

        var badAmount = await h.RunAsync("transfer", "--wallet", "alice", "--to", alice, "--amount", "1.5 TAO");
        Assert.Equal(1, badAmount.Code);
        Assert.Contains("--amount '1.5 TAO' is not a non-negative decimal", badAmount.Err, StringComparison.Ordinal);

        var overspend = await h.RunAsync("transfer", "--wallet", "alice", "--to", alice, "--amount", "999999");
        Assert.Equal(1, overspend.Code);
        Assert.Contains("(5 InsufficientBalance)", overspend.Err, StringComparison.Ordinal);

        var unknownMetagraph = await h.RunAsync("metagraph", "--netuid", "42", "--json");
        Assert.Equal(1, unknownMetagraph.Code);
        Assert.Contains("(10 UnknownSubnet): Subnet 42 does not exist.", unknownMetagraph.Err, StringComparison.Ordinal);

        var unknownRegister = await h.RunAsync("register", "--wallet", "alice", "--netuid", "42");
        Assert.Equal(1, unknownRegister.Code);
        Assert.Contains("(10 UnknownSubnet): Subnet 42 does not exist.", unknownRegister.Err, StringComparison.Ordinal);

        var unknownPool = await h.RunAsync("pool", "--netuid", "42");
        Assert.Equal(1, unknownPool.Code);
        Assert.Contains("UnknownSubnet", unknownPool.Err, StringComparison.Ordinal);

        var badParam = await h.RunAsync("subnet", "set", "--wallet", "alice", "--netuid", "1", "--param", "Speed", "--value", "1");
        Assert.Equal(1, badParam.Code);
        Assert.Contains("'Speed' is not a subnet hyperparameter", badParam.Err, StringComparison.Ordinal);

        var noWallet = await h.RunAsync("transfer", "--wallet", "carol", "--to", alice, "--amount", "1");
        Assert.Equal(1, noWallet.Code);
        Assert.Contains("No wallet named 'carol'", noWallet.Err, StringComparison.Ordinal);

        var unreachable = await h.RunAsync("balance", "--address", alice, "--ledger", "http://127.0.0.1:1");
        Assert.Equal(1, unreachable.Code);
        Assert.Contains("cannot reach the node", unreachable.Err, StringComparison.Ordinal);

        var noCommit = await h.RunAsync("weights", "reveal", "--wallet", "alice", "--netuid", "1");
        Assert.Equal(1, noCommit.Code);
        Assert.Contains("No stored weight commit", noCommit.Err, StringComparison.Ordinal);

        var after = await h.JsonAsync("balance", "--wallet", "alice");
        // The rejected overspend still consumed nothing: balance and nonce are as before.
        Assert.Equal(before.GetProperty("balance").GetUInt64(), after.GetProperty("balance").GetUInt64());
        Assert.Equal(before.GetProperty("nonce").GetUInt64(), after.GetProperty("nonce").GetUInt64());
    }

    [Fact]
    public async Task Read_commands_print_tables_without_json()
    {
        await using var h = await LedgerNodeHarness.StartAsync();
        var alice = await h.CreateWalletAsync("alice");
        await h.JsonAsync("faucet", "--to", alice, "--amount", "3000");
        Assert.Equal(0, (await h.RunAsync("subnet", "create", "--wallet", "alice")).Code);
        var list = await h.RunAsync("subnet", "list");
        Assert.Equal(0, list.Code);
        Assert.Contains("netuid", list.Out, StringComparison.Ordinal);
        Assert.Contains("TAO reserve", list.Out, StringComparison.Ordinal);
        var balance = await h.RunAsync("balance", "--wallet", "alice");
        Assert.Contains($"{alice}  balance", balance.Out, StringComparison.Ordinal);
        var metagraph = await h.RunAsync("metagraph", "--netuid", "1");
        Assert.Equal(0, metagraph.Code);
        Assert.Contains("incentive", metagraph.Out, StringComparison.Ordinal);
    }
}
