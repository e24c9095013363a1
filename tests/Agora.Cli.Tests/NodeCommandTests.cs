using System.CommandLine;
using Agora.Cli.Commands;

namespace Agora.Cli.Tests;

public sealed class NodeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-cli-node-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Err) Run(params string[] args)
    {
        var root = new RootCommand { NodeCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(["node", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, error.ToString());
    }

    [Theory]
    [InlineData("--block-time", "fast", "Duration 'fast'")]
    [InlineData("--port", "70000", "--port 70000 is not a TCP port")]
    [InlineData("--genesis", "/no/such/genesis.json", "Genesis file /no/such/genesis.json does not exist")]
    [InlineData("--listen", "evil.example:9944", "host 'evil.example' is not an IPv4 address")]
    [InlineData("--listen", "127.0.0.1:70000", "port '70000' is not a TCP port")]
    [InlineData("--listen", "9944", "is not HOST:PORT")]
    public void Bad_options_fail_before_the_node_starts_and_say_why(string option, string value, string reason)
    {
        var data = Path.Combine(_dir, "data");
        var (code, error) = Run("--data", data, option, value);
        Assert.Equal(1, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "ledger.db")));
    }

    [Fact]
    public void A_genesis_that_does_not_parse_is_reported_with_its_path()
    {
        var genesis = Path.Combine(_dir, "genesis.json");
        File.WriteAllText(genesis, "{\"chain_id\": 5}");
        var (code, error) = Run("--data", Path.Combine(_dir, "data"), "--genesis", genesis);
        Assert.Equal(1, code);
        Assert.Contains($"{genesis}: 'chain_id' must be a string", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Listen_and_an_explicit_port_together_are_refused()
    {
        var data = Path.Combine(_dir, "data");
        var (code, error) = Run("--data", data, "--listen", "127.0.0.1:0", "--port", "9944");
        Assert.Equal(1, code);
        Assert.Contains("either --listen HOST:PORT or --port", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "ledger.db")));
    }

    [Fact]
    public void Data_is_required()
    {
        var (code, _) = Run();
        Assert.NotEqual(0, code);
    }
}
