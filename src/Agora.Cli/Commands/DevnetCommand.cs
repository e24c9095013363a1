using System.CommandLine;
using System.Globalization;
using Agora.Node.Devnet;
using Agora.Node.Roles;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>`agora devnet`: a node, a validator and miners as child processes on loopback, with a live view.</summary>
internal static class DevnetCommand
{
    public static Command Create()
    {
        var miners = new Option<int>("--miners") { Description = "Honest miners.", DefaultValueFactory = _ => 3 };
        var validators = new Option<int>("--validators") { Description = "Validators (the devnet runs exactly one so far).", DefaultValueFactory = _ => 1 };
        var adversary = new Option<string[]>("--adversary") { Description = "Add an adversarial miner: copycat. Repeat for more.", AllowMultipleArgumentsPerToken = true };
        var dataDir = new Option<string>("--data-dir") { Description = "Where wallets, ledger, stores and state live; run again with it to resume.", DefaultValueFactory = _ => Path.Combine(".agora", "devnet") };
        var config = new Option<string>("--config") { Description = "Model config: tiny or small.", DefaultValueFactory = _ => "tiny" };
        var innerSteps = new Option<int>("--inner-steps") { Description = "Inner steps per window.", DefaultValueFactory = _ => 8 };
        var port = new Option<int>("--port") { Description = "Dashboard port on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => 0 };
        var nodePort = new Option<int>("--node-port") { Description = "Node RPC port (0: any free port).", DefaultValueFactory = _ => 0 };
        var windows = new Option<int?>("--windows") { Description = "Stop after the validator has scored this many windows." };
        var duration = new Option<string?>("--duration") { Description = "Stop after this long (e.g. 90s, 5m)." };
        var windowBlocks = new Option<ulong>("--window-blocks") { Description = "Blocks per window.", DefaultValueFactory = _ => WindowClock.Devnet.WindowBlocks };
        var deadline = new Option<ulong>("--deadline") { Description = "Commit deadline in blocks after a window starts.", DefaultValueFactory = _ => WindowClock.Devnet.DeadlineOffset };
        var data = new Option<string[]>("--data") { Description = "Training data (default: the built-in corpus).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("devnet", "Run a whole network locally: ledger node, validator and miners as separate processes that train together and get paid.")
        {
            miners, validators, adversary, dataDir, config, innerSteps, port, nodePort, windows, duration, windowBlocks, deadline, data,
        };
        command.SetAction(async (pr, ct) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var error = pr.InvocationConfiguration.Error;
            try
            {
                if (pr.GetValue(validators) != 1)
                {
                    throw new ArgumentException("--validators: the devnet runs exactly one validator so far.");
                }

                if (pr.GetValue(miners) is < 0 or > 32)
                {
                    throw new ArgumentException("--miners must be between 0 and 32.");
                }

                var options = new DevnetOptions
                {
                    DataDirectory = pr.GetValue(dataDir)!,
                    AgoraAssembly = Path.Combine(AppContext.BaseDirectory, "agora.dll"),
                    Miners = pr.GetValue(miners),
                    Adversaries = pr.GetValue(adversary) ?? [],
                    Config = pr.GetValue(config)!,
                    InnerSteps = pr.GetValue(innerSteps),
                    NodePort = pr.GetValue(nodePort),
                    DashboardPort = pr.GetValue(port),
                    Windows = pr.GetValue(windows),
                    Duration = pr.GetValue(duration) is { } d ? Agora.Node.Ledger.NodeHost.ParseDuration(d) : null,
                    Clock = new WindowClock(pr.GetValue(windowBlocks), pr.GetValue(deadline)),
                    Data = pr.GetValue(data) ?? [],
                };
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
                console.Profile.Width = Math.Max(console.Profile.Width, 140);
                ulong? shown = null;
                var supervisor = new DevnetSupervisor(options, output);
                return await supervisor.RunAsync(s =>
                {
                    if (s.ScoredWindow != shown)
                    {
                        shown = s.ScoredWindow;
                        console.Write(Render(s));
                    }
                }, ct);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or TimeoutException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Table Render(DevnetSnapshot s)
    {
        static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
        var table = new Table().Title($"block {s.Height} · window {s.Window} · scored {(s.ScoredWindow is { } w ? w.ToString(CultureInfo.InvariantCulture) : "-")} · held-out loss {F(s.HeldOutLoss, "F4")} · validator stake {s.ValidatorStake}");
        foreach (var column in new[] { "miner", "uid", "train loss", "rating", "weight", "incentive", "emission", "stake", "bytes sent", "tokens/s" })
        {
            table.AddColumn(column);
        }

        foreach (var m in s.Miners)
        {
            table.AddRow(Markup.Escape(m.Behavior == "honest" ? m.Name : $"{m.Name} ({m.Behavior})"), m.Uid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                F(m.TrainLoss, "F4"), F(m.Rating, "F2"), m.Weight.ToString(CultureInfo.InvariantCulture), m.Incentive.ToString(CultureInfo.InvariantCulture),
                m.Emission.ToString(CultureInfo.InvariantCulture), m.Stake.ToString(CultureInfo.InvariantCulture),
                m.BytesUploaded.ToString(CultureInfo.InvariantCulture), F(m.TokensPerSecond, "F0"));
        }

        return table;
    }
}
