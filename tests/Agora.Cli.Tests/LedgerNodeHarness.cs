using System.CommandLine;
using System.Text.Json;
using Agora.Cli.Commands;
using Agora.Node.Ledger;
using Agora.Node.Wallets;
using Microsoft.Data.Sqlite;

namespace Agora.Cli.Tests;

/// <summary>
/// A real ledger node in-process (JSON-RPC on 127.0.0.1, a port the OS picks, short block time) producing blocks
/// on its own timer, plus a keystore with cheap scrypt, and a runner for the `agora` ledger and wallet commands.
/// </summary>
internal sealed class LedgerNodeHarness : IAsyncDisposable
{
    public const string Password = "correct horse";
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;

    private LedgerNodeHarness(string dir, LedgerNode node, RpcServer server)
    {
        Dir = dir;
        Node = node;
        Server = server;
        PasswordFile = Path.Combine(dir, "password.txt");
        File.WriteAllText(PasswordFile, Password + "\n");
        _producer = Task.Run(() => node.RunAsync(_stop.Token));
    }

    public string Dir { get; }

    public LedgerNode Node { get; }

    public RpcServer Server { get; }

    public string Url => Server.Endpoint.AbsoluteUri;

    public string WalletDir => Path.Combine(Dir, "wallets");

    public string PasswordFile { get; }

    public static async Task<LedgerNodeHarness> StartAsync(string? genesisJson = null)
    {
        var dir = Directory.CreateTempSubdirectory("agora-cli-ledger-").FullName;
        var genesis = GenesisFile.Parse(genesisJson ?? GenesisFile.DefaultJson(), "test genesis");
        var node = LedgerNode.Open(new NodeOptions { DataDirectory = Path.Combine(dir, "node"), Port = 0, BlockTime = TimeSpan.FromMilliseconds(100) }, genesis);
        var server = await RpcServer.StartAsync(node, 0);
        return new LedgerNodeHarness(dir, node, server);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _producer;
        await Server.DisposeAsync();
        Node.Dispose();
        _stop.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }

    public ulong Height => Node.Read(a => a.Height);

    /// <summary>Waits (on block notifications, not a clock) until the chain is at least at <paramref name="height"/>.</summary>
    public async Task WaitForHeightAsync(ulong height)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (Height < height)
        {
            await Node.WaitForBlockAboveAsync(Height, limit.Token);
        }
    }

    /// <summary>Runs `agora ARGS` with --ledger and --wallet-dir filled in where the command takes them.</summary>
    public async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var passwords = new PasswordSource(_ => null, TextReader.Null, TextWriter.Null, interactive: false);
        var root = new RootCommand { WalletCommands.Create(passwords, ScryptParameters.ForTests(1 << 10)) };
        foreach (var c in LedgerCommands.Create(passwords))
        {
            root.Add(c);
        }

        var full = new List<string>(args);
        var target = root.Parse(args).CommandResult.Command;
        if (target.Options.Any(o => o.Name == "--ledger") && !args.Contains("--ledger"))
        {
            full.AddRange(["--ledger", Url]);
        }

        if (target.Options.Any(o => o.Name == "--wallet-dir") && !args.Contains("--wallet-dir"))
        {
            full.AddRange(["--wallet-dir", WalletDir]);
        }

        if (target.Options.Any(o => o.Name == "--password-file") && !args.Contains("--password-file"))
        {
            full.AddRange(["--password-file", PasswordFile]);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(full).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command that must succeed and parses its JSON output.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync([.. args, "--json"]);
        Assert.True(code == 0, $"agora {string.Join(' ', args)} exited {code}: {error}{output}");
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    public async Task<string> CreateWalletAsync(string name)
    {
        var wallet = await JsonAsync("wallet", "create", "--name", name);
        return wallet.GetProperty("coldkey").GetProperty("address").GetString()!;
    }
}
