using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Agora.Data;
using Agora.Ledger.State;
using Agora.Model;
using Agora.Node.Ledger;
using Agora.Node.Roles;
using Agora.Node.Wallets;
using Agora.SparseLoCo.Experiments;

namespace Agora.Node.Devnet;

/// <summary>
/// Starts a whole network on loopback as child processes of the running agora.dll: a ledger node whose genesis funds
/// every wallet and creates subnet 1 (owned by the first validator's keys), the validators and the miners (honest and
/// adversarial). Everything lives under the data directory, so running again with it resumes where it stopped.
/// A child that dies (crash, OOM, SIGKILL) is started again from its state directory, after a back-off that grows while
/// it keeps dying right after starting; one that dies <see cref="MaxQuickDeaths"/> times in a row within
/// <see cref="QuickDeath"/> of starting stops the devnet, since restarting it again would not help.
/// </summary>
public sealed class DevnetSupervisor(DevnetOptions options, TextWriter log)
{
    // The governance attacker logs from its own task while the supervisor's loop writes: one line at a time.
    private readonly TextWriter log = TextWriter.Synchronized(log);

    public const ushort Netuid = 1;
    public const int MaxQuickDeaths = 3;
    public static readonly TimeSpan QuickDeath = TimeSpan.FromSeconds(20);
    private const string PasswordFile = "devnet-password";
    private readonly List<Child> _children = [];
    private readonly Dictionary<string, (IReadOnlyDictionary<string, string> Env, string[] Args)> _startInfo = [];
    private readonly Dictionary<string, int> _restarts = [];

    public string Root => Path.GetFullPath(options.DataDirectory);

    public Uri? NodeEndpoint { get; internal set; }

    public Uri? DashboardEndpoint { get; private set; }

    /// <summary>The latest snapshot the supervisor read (what the dashboard serves).</summary>
    public DevnetSnapshot? Latest { get; private set; }

    /// <summary>(name, behavior) of each miner, in start order. An adversarial miner is named by its kind and its
    /// position among --adversary values (as in earlier data directories); <see cref="DevnetAdversaries.FlashGov"/> is no miner.</summary>
    public IReadOnlyList<(string Name, string Behavior)> MinerNames =>
        [.. Enumerable.Range(0, options.Miners).Select(i => ($"miner{i}", "honest")),
         .. options.Adversaries.Select((a, i) => (Name: $"{a}{i}", Kind: a)).Where(m => m.Kind != DevnetAdversaries.FlashGov)];

    /// <summary>The coldkey wallets of each flash-gov attacker, k-th attacker: flashgov{k}, flashgov{k}b, flashgov{k}c. Only
    /// the first of each is funded at genesis; the others get only what the attacker passes on.</summary>
    public IReadOnlyList<IReadOnlyList<string>> GovernanceAttackerWallets =>
        [.. Enumerable.Range(0, options.Adversaries.Count(a => a == DevnetAdversaries.FlashGov))
            .Select(k => (IReadOnlyList<string>)[$"flashgov{k}", $"flashgov{k}b", $"flashgov{k}c"])];

    /// <summary>The validators' names: "validator" (the subnet owner, as in earlier data directories), then validator1, validator2…</summary>
    public IReadOnlyList<string> ValidatorNames => [.. Enumerable.Range(0, options.Validators).Select(i => i == 0 ? "validator" : $"validator{i}")];

    public ulong WindowBlocks => options.Clock.WindowBlocks;

    public string StateDirectory(string name) => Path.Combine(Root, "state", name);

    /// <summary>running, restarting (died; the supervisor starts it again shortly), exited (code N: it kept dying and the
    /// devnet is stopping), stopped (the devnet stopped it on shutdown) or unknown.</summary>
    public string ChildStatus(string name)
    {
        lock (_children)
        {
            var child = _children.Find(c => c.Name == name);
            if (child is not null)
            {
                return !child.Process.HasExited ? "running" : child.RestartAt is not null ? "restarting" : $"exited ({child.Process.ExitCode})";
            }

            return _startInfo.ContainsKey(name) ? "stopped" : "unknown";
        }
    }

    /// <summary>How many times the supervisor has started <paramref name="name"/> again after it died.</summary>
    public int Restarts(string name)
    {
        lock (_children)
        {
            return _restarts.GetValueOrDefault(name);
        }
    }

    /// <summary>The process id of a running child (for tests), or null.</summary>
    public int? ChildProcessId(string name)
    {
        lock (_children)
        {
            return _children.Find(c => c.Name == name) is { Process.HasExited: false } c ? c.Process.Id : null;
        }
    }

    public async Task<int> RunAsync(Action<DevnetSnapshot>? render, CancellationToken ct)
    {
        foreach (var a in options.Adversaries)
        {
            DevnetAdversaries.Validate(a);
        }

        if (options.Validators is < 1 or > 8)
        {
            throw new ArgumentException($"The devnet runs 1 to 8 validators, not {options.Validators}.");
        }

        var adversarialMiners = MinerNames.Count - Math.Max(0, options.Miners);
        if (options.Miners < 0 || options.Miners + adversarialMiners is < 1 or > 32)
        {
            throw new ArgumentException($"The devnet runs 1 to 32 miners in all, not {options.Miners} honest and {adversarialMiners} adversarial.");
        }

        // Everything that can be refused is checked before anything is written, so a bad run leaves the data directory as it was.
        var config = ModelConfig.Named(options.Config);
        var tokensPath = Path.Combine(Root, $"tokens-{options.Config}.bin");
        var genesisPath = Path.Combine(Root, "genesis.json");
        var keystore = new Keystore(Path.Combine(Root, "wallets"), ScryptParameters.Devnet);
        var names = new List<string>(ValidatorNames);
        names.AddRange(MinerNames.Select(m => m.Name));
        names.AddRange(GovernanceAttackerWallets.Select(w => w[0]));
        if (File.Exists(genesisPath))
        {
            RequireFundedAtGenesis(genesisPath, keystore, names);
        }

        (int[] Tokens, string Source)? fresh = null;
        if (!File.Exists(tokensPath))
        {
            await log.WriteLineAsync($"devnet: tokenizing the training data for config {options.Config} (once)").ConfigureAwait(false);
            fresh = ExperimentInputs.Load(options.Data, config.VocabSize);
        }

        Directory.CreateDirectory(Root);
        var password = LoadOrCreatePassword();
        foreach (var name in names.Concat(GovernanceAttackerWallets.SelectMany(w => w.Skip(1))).Where(n => !keystore.Exists(n)))
        {
            keystore.Create(name, password);
        }

        if (fresh is { } loaded)
        {
            TokenShard.Write(tokensPath, loaded.Tokens);
            await log.WriteLineAsync($"devnet: {loaded.Tokens.Length} tokens from {loaded.Source}").ConfigureAwait(false);
        }

        if (!File.Exists(genesisPath))
        {
            await File.WriteAllTextAsync(genesisPath, GenesisJson(keystore, names), ct).ConfigureAwait(false);
        }

        var port = options.NodePort != 0 ? options.NodePort : FreePort();
        NodeEndpoint = new Uri($"http://127.0.0.1:{port}/");
        // Children read the password from the 0600 file, never from their environment (which /proc shows to anyone
        // who can read the process's environ, and which every grandchild inherits); Start removes an inherited one.
        var env = new Dictionary<string, string> { [Keystore.DirectoryEnvironmentVariable] = keystore.Directory };
        using var stopAttackers = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var attackers = new List<Task>();
        try
        {
            Start("node", env, "node", "--data", Path.Combine(Root, "node"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--genesis", genesisPath, "--block-time", options.BlockTime);
            using var client = new LedgerClient(NodeEndpoint);
            await WaitForNodeAsync(client, ct).ConfigureAwait(false);
            foreach (var name in ValidatorNames)
            {
                Start(name, env, RoleArgs("validator", name, tokensPath));
            }

            foreach (var (name, behavior) in MinerNames)
            {
                Start(name, env, [.. RoleArgs("miner", name, tokensPath), "--behavior", behavior]);
            }

            foreach (var wallets in GovernanceAttackerWallets)
            {
                attackers.Add(RunGovernanceAttackerAsync(keystore, password, wallets, stopAttackers.Token));
            }

            await using var dashboard = options.DashboardPort is { } dp ? await Dashboard.DashboardServer.StartAsync(() => Latest, dp, ct).ConfigureAwait(false) : null;
            DashboardEndpoint = dashboard?.Endpoint;
            await log.WriteLineAsync($"devnet: node {NodeEndpoint}, {options.Validators} validator{(options.Validators == 1 ? "" : "s")}, {MinerNames.Count} miners; logs in {Path.Combine(Root, "logs")}").ConfigureAwait(false);
            if (dashboard is not null)
            {
                await log.WriteLineAsync($"devnet: dashboard on {dashboard.Endpoint}").ConfigureAwait(false);
            }

            var started = Stopwatch.StartNew();
            // On a resumed data directory the validator's status file still holds the last run's scored window; only
            // windows scored after it count towards --windows.
            ulong? resumedFrom = null;
            var firstRead = true;
            ulong? firstScored = null;
            while (!ct.IsCancellationRequested)
            {
                var snapshot = await DevnetSnapshot.ReadAsync(this, client, ct).ConfigureAwait(false);
                Latest = snapshot;
                render?.Invoke(snapshot);
                if (firstRead)
                {
                    resumedFrom = snapshot.ScoredWindow;
                    firstRead = false;
                }
                else if (snapshot.ScoredWindow != resumedFrom)
                {
                    firstScored ??= snapshot.ScoredWindow;
                }

                if (options.Windows is { } n && snapshot.ScoredWindow is { } s && firstScored is { } f && s >= f + (ulong)n - 1)
                {
                    break;
                }

                if (options.Duration is { } d && started.Elapsed >= d)
                {
                    break;
                }

                if (!await SuperviseAsync().ConfigureAwait(false))
                {
                    return 1;
                }

                await Task.Delay(1000, ct).ConfigureAwait(false);
            }

            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await stopAttackers.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(attackers).ConfigureAwait(false);
            await StopAllAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs one flash-gov attacker in this process, as a stranger with its own RPC client. Never throws: the
    /// attacker records its own failures, and a wallet that cannot be unlocked is logged.</summary>
    private async Task RunGovernanceAttackerAsync(Keystore keystore, string password, IReadOnlyList<string> wallets, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            var keys = wallets.Select(w => (w, keystore.UnlockColdkey(w, password))).ToList();
            using var client = new LedgerClient(NodeEndpoint!);
            var attacker = new GovernanceAttacker(client, keys, Netuid, StateDirectory(wallets[0]), log);
            await attacker.RunAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WalletException or IOException or UnauthorizedAccessException)
        {
            await log.WriteLineAsync($"flash-gov: {wallets[0]} did not start: {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>Kills one child with SIGKILL, as a crash or the OOM killer would, and returns once it is gone. The
    /// supervisor notices the death on its next pass and starts the child again from its state directory.</summary>
    public async Task KillChildAsync(string name)
    {
        Child child;
        lock (_children)
        {
            child = _children.Find(c => c.Name == name) ?? throw new InvalidOperationException($"{name} is not a running child of this devnet.");
        }

        child.Process.Kill(); // SIGKILL on Unix: no handler runs, nothing is flushed
        await child.Process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>One pass over the children: schedules a restart for each one that died and starts those whose back-off
    /// has passed. False when a child keeps dying right after it starts (the devnet then stops).</summary>
    private async Task<bool> SuperviseAsync()
    {
        var now = DateTime.UtcNow;
        List<string> events = [];
        var giveUp = false;
        lock (_children)
        {
            foreach (var c in _children.ToList())
            {
                if (!c.Process.HasExited)
                {
                    continue;
                }

                if (c.RestartAt is null)
                {
                    var lived = now - c.StartedAt;
                    c.QuickDeaths = lived < QuickDeath ? c.QuickDeaths + 1 : 0;
                    if (c.QuickDeaths >= MaxQuickDeaths)
                    {
                        events.Add($"devnet: {c.Name} exited with code {c.Process.ExitCode} {MaxQuickDeaths} times in a row within {QuickDeath.TotalSeconds:0} s of starting; stopping. See {LogPath(c.Name)}");
                        giveUp = true;
                        break;
                    }

                    // 1 s after a death following a good run, then 2, 4… while it keeps dying young.
                    var delay = TimeSpan.FromSeconds(1 << c.QuickDeaths);
                    c.RestartAt = now + delay;
                    events.Add($"devnet: {c.Name} died (exit code {c.Process.ExitCode}) after {lived.TotalSeconds:0} s; restarting it in {delay.TotalSeconds:0} s. See {LogPath(c.Name)}");
                }
                else if (now >= c.RestartAt)
                {
                    _children.Remove(c);
                    c.Process.Dispose();
                    var info = _startInfo[c.Name];
                    Start(c.Name, info.Env, info.Args, c.QuickDeaths);
                    _restarts[c.Name] = _restarts.GetValueOrDefault(c.Name) + 1;
                    events.Add($"devnet: {c.Name} restarted (restart {_restarts[c.Name]})");
                }
            }
        }

        foreach (var message in events)
        {
            await log.WriteLineAsync(message).ConfigureAwait(false);
        }

        return !giveUp;
    }

    internal string[] RoleArgs(string role, string name, string tokensPath) =>
    [
        role, "--wallet", name, "--password-file", PasswordFilePath, "--netuid", Netuid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ledger", NodeEndpoint!.ToString(),
        "--store", new Uri(Path.Combine(Root, "stores", name)).AbsoluteUri, "--peer-store-root", Path.Combine(Root, "stores"), "--board", "ledger",
        "--config", options.Config, "--inner-steps", options.InnerSteps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--data", tokensPath, "--state", StateDirectory(name),
        "--window-blocks", options.Clock.WindowBlocks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--deadline", options.Clock.DeadlineOffset.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    private string LogPath(string name) => Path.Combine(Root, "logs", name + ".log");

    private void Start(string name, IReadOnlyDictionary<string, string> env, params string[] args) => Start(name, env, args, 0);

    private void Start(string name, IReadOnlyDictionary<string, string> env, string[] args, int quickDeaths)
    {
        Directory.CreateDirectory(Path.Combine(Root, "logs"));
        _startInfo[name] = (env, args);
        var process = Process.Start(ChildStartInfo(env, args)) ?? throw new InvalidOperationException($"Could not start {name}.");
        var logFile = new StreamWriter(LogPath(name), append: true) { AutoFlush = true };
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { logFile.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { logFile.WriteLine(e.Data); } } };
        process.Exited += (_, _) => { lock (gate) { logFile.Dispose(); } };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_children)
        {
            _children.Add(new Child(name, process, DateTime.UtcNow) { QuickDeaths = quickDeaths });
        }
    }

    /// <summary>How a child is started: `dotnet agora.dll ARGS`, this process's environment without
    /// $AGORA_PASSWORD (children get --password-file), plus <paramref name="env"/>.</summary>
    internal ProcessStartInfo ChildStartInfo(IReadOnlyDictionary<string, string> env, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(options.AgoraAssembly);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove(PasswordSource.EnvironmentVariable);
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        return psi;
    }

    private async Task StopAllAsync()
    {
        // Roles first, the node last, so nobody loses its ledger mid-window.
        List<Child> all;
        lock (_children)
        {
            all = [.. _children.OrderBy(c => c.Name == "node")];
            _children.Clear();
        }

        foreach (var c in all)
        {
            await StopAsync(c.Process).ConfigureAwait(false);
        }
    }

    private static async Task StopAsync(Process p)
    {
        if (p.HasExited)
        {
            return;
        }

        // SIGTERM lets System.CommandLine cancel the action's token, so a role finishes its tick and the node its block.
        using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
        {
            if (term is not null)
            {
                await term.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private async Task WaitForNodeAsync(LedgerClient client, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                await client.GetStatusAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException)
            {
                if (_children[0].Process.HasExited)
                {
                    throw new InvalidOperationException($"The node exited with code {_children[0].Process.ExitCode}; see {LogPath("node")}.");
                }


                await Task.Delay(500, ct).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"The node did not answer on {NodeEndpoint} within a minute; see {LogPath("node")}.");
    }

    /// <summary>The file holding the devnet wallets' password (mode 0600); children get it as --password-file.</summary>
    public string PasswordFilePath => Path.Combine(Root, PasswordFile);

    // The first run writes the password file (16 random bytes as hex, or $AGORA_PASSWORD if set), 0600 from creation
    // on, atomically; later runs read it, narrowing one an older build left readable by others.
    internal string LoadOrCreatePassword()
    {
        var path = PasswordFilePath;
        if (!File.Exists(path))
        {
            var chosen = Environment.GetEnvironmentVariable(PasswordSource.EnvironmentVariable);
            var fresh = string.IsNullOrEmpty(chosen) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : chosen;
            try
            {
                PrivateFiles.WriteAtomically(path, System.Text.Encoding.UTF8.GetBytes(fresh), overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another devnet on the same directory wrote it first; use theirs.
            }
        }
        else if (PrivateFiles.Restrict(path))
        {
            log.WriteLine($"devnet: {path} was readable by other users; it is now 0600");
        }

        return PasswordSource.ReadPasswordFile(path);
    }

    /// <summary>The devnet's minimum fee, rao (10^-6 TAO): non-zero so the roles' fee path runs, negligible next to rewards.</summary>
    public const ulong DevnetMinTxFee = 1_000;

    private string GenesisJson(Keystore keystore, IReadOnlyList<string> names)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("chain_id", "agora-devnet");
            w.WriteNumber("genesis_timestamp", 0);
            w.WriteStartArray("balances");
            foreach (var name in names)
            {
                w.WriteStartObject();
                w.WriteString("address", keystore.Show(name).Coldkey.Address);
                w.WriteNumber("balance", 10_000 * GlobalParameters.Tao);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            // A small fee the roles read from the chain and pay, and a commitment rate limit no honest miner meets:
            // two commitments of one miner are at least window − deadline blocks apart.
            w.WriteStartObject("params");
            w.WriteNumber(nameof(GlobalParameter.MinTxFee), DevnetMinTxFee);
            w.WriteNumber(nameof(GlobalParameter.CommitmentRateLimit), Math.Min(GlobalParameters.Bounds(GlobalParameter.CommitmentRateLimit).Max, options.Clock.WindowBlocks - options.Clock.DeadlineOffset));
            w.WriteEndObject();
            w.WriteStartArray("subnets");
            var validator = keystore.Show(names[0]);
            w.WriteStartObject();
            w.WriteString("owner_coldkey", validator.Coldkey.Address);
            w.WriteString("owner_hotkey", validator.Hotkeys[0].Address);
            w.WriteNumber("lock_tao", 1_000 * GlobalParameters.Tao);
            w.WriteStartObject("hyperparameters");
            w.WriteNumber(nameof(SubnetHyperparameter.Tempo), options.Clock.WindowBlocks);
            w.WriteNumber(nameof(SubnetHyperparameter.WeightsRateLimit), 0);
            w.WriteNumber(nameof(SubnetHyperparameter.ImmunityPeriod), 1000);
            w.WriteNumber(nameof(SubnetHyperparameter.CommitRevealEnabled), 1);
            w.WriteNumber(nameof(SubnetHyperparameter.RevealPeriodEpochs), 1);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>A resumed data directory keeps its genesis; refuse to start wallets it never funded (they could not register).</summary>
    private static void RequireFundedAtGenesis(string genesisPath, Keystore keystore, IReadOnlyList<string> names)
    {
        HashSet<string?> funded;
        try
        {
            using var genesis = JsonDocument.Parse(File.ReadAllBytes(genesisPath));
            funded = genesis.RootElement.GetProperty("balances").EnumerateArray().Select(b => b.GetProperty("address").GetString()).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"The data directory's genesis ({genesisPath}) is not a genesis file the devnet wrote: {e.Message}", e);
        }

        var missing = names.Where(n => !keystore.Exists(n) || !funded.Contains(keystore.Show(n).Coldkey.Address)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"The data directory's genesis ({genesisPath}) was made for other participants and does not fund {string.Join(", ", missing)}; "
                + "run with the same --miners/--validators/--adversary as before, or use a new --data-dir.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A running (or just died) child process and what the restart policy needs to know about it.</summary>
    private sealed class Child(string name, Process process, DateTime startedAt)
    {
        public string Name { get; } = name;

        public Process Process { get; } = process;

        public DateTime StartedAt { get; } = startedAt;

        /// <summary>Consecutive deaths within <see cref="QuickDeath"/> of starting.</summary>
        public int QuickDeaths { get; set; }

        /// <summary>When a dead child is due to start again; null while it runs.</summary>
        public DateTime? RestartAt { get; set; }
    }
}
