using System.CommandLine;
using Agora.Artifacts;
using Agora.Model;
using Agora.Node.Ledger;
using Agora.Node.Roles;
using Agora.Node.Wallets;
using Agora.SparseLoCo.Experiments;

namespace Agora.Cli.Commands;

/// <summary>`agora miner`: a SparseLoCo miner process (see <see cref="MinerRole"/>).</summary>
internal static class MinerCommand
{
    public static Command Create()
    {
        var o = new RoleOptions();
        var behavior = new Option<string>("--behavior") { Description = "honest, or a devnet adversary: copycat (re-signs another miner's update), noise (random update), poison (sign-flipped Δ ×1000), lazy (1 step on another UID's pages), late (commits after the deadline), hostile-uri (commits a store URI no peer may open).", DefaultValueFactory = _ => "honest" };
        var command = new Command("miner", "Run a miner: train on your pages each window, send the compressed update, keep θ in sync, earn emission.");
        o.AddTo(command);
        command.Add(behavior);
        command.SetAction(async (pr, ct) =>
        {
            var error = pr.InvocationConfiguration.Error;
            try
            {
                var kind = MinerBehaviors.Parse(pr.GetValue(behavior) ?? "honest");
                using var ctx = RoleContext.Open(pr, o, "miner");
                var role = new MinerRole(ctx.Setup, ctx.Ledger, ctx.Board, ctx.Store, ctx.Coldkey, ctx.Hotkey, ctx.StateDirectory, kind, ctx.Threads, ctx.PeerStores);
                var statusPath = Path.Combine(ctx.StateDirectory, RoleStatusFile.MinerFileName);
                await pr.InvocationConfiguration.Output.WriteLineAsync($"agora miner: hotkey {ctx.HotkeyAddress} on subnet {ctx.Setup.Netuid}, payload {ctx.Setup.PayloadBytes} bytes per window");
                await RoleHost.RunAsync(role.TickAsync, () => RoleStatusFile.Write(statusPath, role.Status), error, TimeSpan.FromMilliseconds(250), ct);
                return 0;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or WalletException or IOException or InvalidDataException or HttpRequestException or LedgerRpcException or HotkeyOwnershipException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}

/// <summary>Options shared by `agora miner` and `agora validator`.</summary>
internal sealed class RoleOptions
{
    public Option<string> Wallet { get; } = new("--wallet") { Description = "Wallet name (keystore in AGORA_WALLET_DIR or the default directory).", Required = true };
    public Option<string?> PasswordFile { get; } = new("--password-file") { Description = "File whose first line is the wallet password (else $AGORA_PASSWORD)." };
    public Option<string> Hotkey { get; } = new("--hotkey") { Description = "Hotkey name inside the wallet.", DefaultValueFactory = _ => "default" };
    public Option<ushort> Netuid { get; } = new("--netuid") { Description = "Subnet to work on.", DefaultValueFactory = _ => (ushort)1 };
    public Option<string> Ledger { get; } = new("--ledger") { Description = "The node's RPC endpoint.", DefaultValueFactory = _ => "http://127.0.0.1:9944/" };
    public Option<string> Store { get; } = new("--store") { Description = "Where this neuron publishes its artifacts: file://DIR or s3://BUCKET[/PREFIX].", Required = true };
    public Option<string?> PeerStoreRoot { get; } = new("--peer-store-root") { Description = "Directory under which other neurons' file:// stores must lie to be read (symbolic links resolved); others are refused. Default: the directory holding this neuron's own file store. s3:// peer stores are read only when this process has S3 configuration." };
    public Option<string> Board { get; } = new("--board") { Description = "Where per-window commitments go: ledger (SetCommitment transactions), or a shared store file://DIR | s3://... (stand-in).", DefaultValueFactory = _ => "ledger" };
    public Option<string> Config { get; } = new("--config") { Description = "Model config: tiny, small or base (part of the subnet's parameters).", DefaultValueFactory = _ => "tiny" };
    public Option<int> InnerSteps { get; } = new("--inner-steps") { Description = "Inner AdamW steps per window (H).", DefaultValueFactory = _ => 8 };
    public Option<int> Batch { get; } = new("--batch") { Description = "Sequences per inner step.", DefaultValueFactory = _ => 4 };
    public Option<string[]> Data { get; } = new("--data") { Description = "Token shards or text; default: the built-in corpus. Every peer must use the same data.", AllowMultipleArgumentsPerToken = true };
    public Option<int> Threads { get; } = new("--threads") { Description = "Kernel threads.", DefaultValueFactory = _ => 1 };
    public Option<string?> State { get; } = new("--state") { Description = "State directory (θ, error feedback, ratings, status file); default .agora/ROLE-WALLET." };
    public Option<ulong> WindowBlocks { get; } = new("--window-blocks") { Description = "Blocks per window.", DefaultValueFactory = _ => WindowClock.Devnet.WindowBlocks };
    public Option<bool> AllowNewChain { get; } = LedgerCommandSupport.AllowNewChainOption();
    public Option<ulong> Deadline { get; } = new("--deadline") { Description = "Commit deadline, in blocks after the window's first block.", DefaultValueFactory = _ => WindowClock.Devnet.DeadlineOffset };

    public void AddTo(Command c)
    {
        foreach (Option option in new Option[] { Wallet, PasswordFile, Hotkey, Netuid, Ledger, Store, PeerStoreRoot, Board, Config, InnerSteps, Batch, Data, Threads, State, WindowBlocks, Deadline, AllowNewChain })
        {
            c.Add(option);
        }
    }
}

/// <summary>Everything a role process opens from its options.</summary>
internal sealed class RoleContext : IDisposable
{
    private readonly LedgerClient _client;

    private RoleContext(LedgerClient client) => _client = client;

    public required SubnetSetup Setup { get; init; }
    public required ISubnetLedger Ledger { get; init; }
    public required ICommitmentBoard Board { get; init; }
    public required IArtifactStore Store { get; init; }
    public required PeerStorePolicy PeerStores { get; init; }
    public required Agora.Core.Crypto.Ed25519KeyPair Coldkey { get; init; }
    public required Agora.Core.Crypto.Ed25519KeyPair Hotkey { get; init; }
    public required string HotkeyAddress { get; init; }
    public required string StateDirectory { get; init; }
    public required int Threads { get; init; }

    public static RoleContext Open(ParseResult pr, RoleOptions o, string role)
    {
        var password = pr.GetValue(o.PasswordFile) is { Length: > 0 } passwordFile
            ? PasswordSource.ReadPasswordFile(passwordFile)
            : Environment.GetEnvironmentVariable(PasswordSource.EnvironmentVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : throw new FormatException($"Give the wallet password with --password-file FILE (the devnet passes its own) or ${PasswordSource.EnvironmentVariable}.");
        var walletName = pr.GetValue(o.Wallet)!;
        var keystore = new Keystore(Environment.GetEnvironmentVariable(Keystore.DirectoryEnvironmentVariable) ?? Keystore.DefaultDirectory());
        var coldkey = keystore.UnlockColdkey(walletName, password);
        var hotkey = keystore.UnlockHotkey(walletName, pr.GetValue(o.Hotkey)!, password);
        var config = ModelConfig.Named(pr.GetValue(o.Config)!);
        var (tokens, _) = ExperimentInputs.Load(pr.GetValue(o.Data) ?? [], config.VocabSize);
        var setup = new SubnetSetup(pr.GetValue(o.Netuid), config, tokens, new WindowClock(pr.GetValue(o.WindowBlocks), pr.GetValue(o.Deadline)), pr.GetValue(o.InnerSteps), pr.GetValue(o.Batch));
        var client = new LedgerClient(new Uri(pr.GetValue(o.Ledger)!));
        var allowNewChain = pr.GetValue(o.AllowNewChain);
        var ledger = new RpcSubnetLedger(client, (chainId, genesis) => ChainPin.Check(keystore, walletName, chainId, genesis, allowNewChain));
        var state = pr.GetValue(o.State) ?? Path.Combine(".agora", $"{role}-{walletName}");
        Directory.CreateDirectory(state);
        var store = ArtifactStoreUri.Open(pr.GetValue(o.Store)!);
        return new RoleContext(client)
        {
            Setup = setup,
            Ledger = ledger,
            Board = pr.GetValue(o.Board) is "ledger" or null ? new LedgerCommitmentBoard(ledger) : new StoreCommitmentBoard(ArtifactStoreUri.Open(pr.GetValue(o.Board)!), ledger),
            Store = store,
            PeerStores = PeerStorePolicy.ForOwnStore(store, pr.GetValue(o.PeerStoreRoot)),
            Coldkey = coldkey,
            Hotkey = hotkey,
            HotkeyAddress = new Agora.Ledger.Primitives.AccountId(hotkey.PublicKey).ToAddress(),
            StateDirectory = state,
            Threads = pr.GetValue(o.Threads),
        };
    }

    public void Dispose() => _client.Dispose();
}
