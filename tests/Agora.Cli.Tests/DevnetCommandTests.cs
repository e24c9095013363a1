using System.CommandLine;
using Agora.Cli.Commands;

namespace Agora.Cli.Tests;

/// <summary>`agora devnet` refuses bad arguments and a data directory it cannot resume, before it writes or starts anything.</summary>
public sealed class DevnetCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-cli-devnet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Err) Run(params string[] args)
    {
        var root = new RootCommand { DevnetCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(["devnet", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, error.ToString());
    }

    [Theory]
    [InlineData("--validators", "0", "--validators must be between 1 and 8")]
    [InlineData("--validators", "9", "--validators must be between 1 and 8")]
    [InlineData("--miners", "33", "--miners must be between 0 and 32")]
    [InlineData("--adversary", "sleepy", "sleepy")]
    [InlineData("--config", "huge", "Unknown model config 'huge'")]
    [InlineData("--duration", "soon", "soon")]
    [InlineData("--deadline", "30", "deadline offset must be inside the window")]
    [InlineData("--data", "/no/such/corpus.txt", "/no/such/corpus.txt")]
    public void Bad_arguments_are_refused_with_the_reason_and_nothing_is_written(string option, string value, string reason)
    {
        var data = Path.Combine(_dir, "devnet");
        var (code, error) = Run("--data-dir", data, "--windows", "1", option, value);
        Assert.Equal(1, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), $"{data} was created");
    }

    [Fact]
    public void An_unknown_adversary_is_refused_naming_every_devnet_kind_including_flash_gov()
    {
        var (code, error) = Run("--data-dir", Path.Combine(_dir, "devnet"), "--windows", "1", "--adversary", "sleepy");
        Assert.Equal(1, code);
        Assert.Contains("valid kinds: copycat, noise, poison, lazy, late, hostile-uri, flash-gov.", error, StringComparison.Ordinal);
        var help = new StringWriter();
        new RootCommand { DevnetCommand.Create() }.Parse(["devnet", "--help"]).Invoke(new InvocationConfiguration { Output = help });
        Assert.Contains("flash-gov", help.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_directory_made_for_other_participants_is_refused_and_left_as_it_was()
    {
        var data = Path.Combine(_dir, "devnet");
        Directory.CreateDirectory(data);
        var genesis = Path.Combine(data, "genesis.json");
        File.WriteAllText(genesis, """{ "chain_id": "agora-devnet", "genesis_timestamp": 0, "balances": [], "subnets": [] }""");
        var before = Directory.GetFileSystemEntries(data, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

        var (code, error) = Run("--data-dir", data, "--windows", "1", "--validators", "2");

        Assert.Equal(1, code);
        Assert.Contains("does not fund validator, validator1, miner0, miner1, miner2", error, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(data, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

        // flash-gov is a devnet adversary but no miner: only its first coldkey is funded at genesis.
        (code, error) = Run("--data-dir", data, "--windows", "1", "--adversary", "copycat", "--adversary", "flash-gov");
        Assert.Equal(1, code);
        Assert.Contains("does not fund validator, miner0, miner1, miner2, copycat0, flashgov0;", error, StringComparison.Ordinal);

        File.WriteAllText(genesis, "{ not json");
        (code, error) = Run("--data-dir", data, "--windows", "1");
        Assert.Equal(1, code);
        Assert.Contains("is not a genesis file the devnet wrote", error, StringComparison.Ordinal);
    }
}
