using System.CommandLine;
using System.Text.Json;
using Agora.Cli.Commands;
using Agora.Core.Addresses;
using Agora.Core.Crypto;
using Agora.Node.Wallets;

namespace Agora.Cli.Tests;

public sealed class WalletCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-cli-wallet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WalletDir => Path.Combine(_dir, "wallets");

    private (int Code, string Out, string Err) Run(string stdin, params string[] args)
    {
        var passwords = new PasswordSource(_ => null, new StringReader(stdin), TextWriter.Null, interactive: false);
        var root = new RootCommand { WalletCommands.Create(passwords, ScryptParameters.ForTests(1 << 10)) };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(["wallet", .. args, .. args.Contains("--wallet-dir") ? Array.Empty<string>() : ["--wallet-dir", WalletDir]])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private string PasswordFile(string password)
    {
        var path = Path.Combine(_dir, "pw-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, password + "\n");
        return path;
    }

    [Fact]
    public void Import_then_show_json_reports_the_seeds_addresses()
    {
        var cold = Path.Combine(_dir, "cold.hex");
        var hot = Path.Combine(_dir, "hot.hex");
        File.WriteAllText(cold, "0x" + new string('1', 64));
        File.WriteAllText(hot, new string('2', 64) + "\n");
        var imported = Run("", "import", "--name", "alice", "--coldkey-seed-file", cold, "--hotkey-seed-file", hot, "--hotkey", "miner", "--password-file", PasswordFile("pw"));
        Assert.Equal(0, imported.Code);

        var (code, output, _) = Run("", "show", "--name", "alice", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var expectedCold = Ss58Address.Encode(Ed25519KeyPair.FromSeed(Convert.FromHexString(new string('1', 64))).PublicKey);
        var expectedHot = Ss58Address.Encode(Ed25519KeyPair.FromSeed(Convert.FromHexString(new string('2', 64))).PublicKey);
        Assert.Equal(expectedCold, json.RootElement.GetProperty("coldkey").GetProperty("address").GetString());
        var hotkey = Assert.Single(json.RootElement.GetProperty("hotkeys").EnumerateArray());
        Assert.Equal("miner", hotkey.GetProperty("name").GetString());
        Assert.Equal(expectedHot, hotkey.GetProperty("address").GetString());
        Assert.DoesNotContain(new string('1', 64), output, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_reads_the_password_from_stdin_twice_and_list_json_shows_the_wallet()
    {
        var created = Run("hunter2\nhunter2\n", "create", "--name", "bob");
        Assert.Equal(0, created.Code);
        Assert.Contains("Created wallet 'bob'", created.Out, StringComparison.Ordinal);

        var (code, output, _) = Run("", "list", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var wallet = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("bob", wallet.GetProperty("name").GetString());
        Assert.Equal("default", Assert.Single(wallet.GetProperty("hotkeys").EnumerateArray()).GetProperty("name").GetString());
        Assert.NotNull(new Keystore(WalletDir).UnlockColdkey("bob", "hunter2"));
    }

    [Fact]
    public void Create_with_mismatched_confirmation_writes_nothing()
    {
        var (code, _, error) = Run("one\ntwo\n", "create", "--name", "carol");
        Assert.Equal(1, code);
        Assert.Contains("passwords differ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(WalletDir) && Directory.EnumerateFiles(WalletDir).Any());
    }

    [Fact]
    public void New_hotkey_with_the_wrong_password_fails_clearly()
    {
        Assert.Equal(0, Run("", "create", "--name", "dave", "--password-file", PasswordFile("right")).Code);
        var (code, _, error) = Run("", "new-hotkey", "--name", "dave", "--hotkey", "validator", "--password-file", PasswordFile("wrong"));
        Assert.Equal(1, code);
        Assert.Contains("Wrong password for wallet 'dave'", error, StringComparison.Ordinal);
        Assert.Equal(0, Run("", "new-hotkey", "--name", "dave", "--hotkey", "validator", "--password-file", PasswordFile("right")).Code);
        Assert.Equal(2, new Keystore(WalletDir).Show("dave").Hotkeys.Count);
    }

    [Fact]
    public void Show_of_a_missing_wallet_says_how_to_create_one()
    {
        var (code, _, error) = Run("", "show", "--name", "nobody");
        Assert.Equal(1, code);
        Assert.Contains("agora wallet create --name nobody", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_rejects_a_malformed_seed_file()
    {
        var bad = Path.Combine(_dir, "bad.hex");
        File.WriteAllText(bad, "abc");
        var (code, _, error) = Run("", "import", "--name", "eve", "--coldkey-seed-file", bad, "--password-file", PasswordFile("pw"));
        Assert.Equal(1, code);
        Assert.Contains("exactly 64 hex characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_comes_from_the_environment_when_no_file_is_given()
    {
        var source = new PasswordSource(name => name == PasswordSource.EnvironmentVariable ? "from-env" : null, new StringReader(""), TextWriter.Null, interactive: false);
        Assert.Equal("from-env", source.Get(null, "test"));
        Assert.Equal("from-file", source.Get(PasswordFile("from-file"), "test"));
        var none = new PasswordSource(_ => null, new StringReader(""), TextWriter.Null, interactive: false);
        Assert.Contains("No password given", Assert.Throws<WalletException>(() => none.Get(null, "test")).Message, StringComparison.Ordinal);
    }
}
