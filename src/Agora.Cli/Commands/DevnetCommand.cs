using System.CommandLine;
using Agora.Node.Devnet;
using Agora.Node.Roles;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>`agora devnet`: a node, a validator and miners as child processes on loopback, with a live view.</summary>
public static class DevnetCommand
{
    public static Command Create()
    {
        var miners = new Option<int>("--miners") { Description = "Honest miners.", DefaultValueFactory = _ => 3 };
        var validators = new Option<int>("--validators") { Description = "Validators, 1 to 8 (each scores every window and sets its own weights).", DefaultValueFactory = _ => 1 };
        var adversary = new Option<string[]>("--adversary") { Description = "Add an adversary: an adversarial miner (copycat, noise, poison, lazy, late or hostile-uri, which commits store URIs no peer may open) or flash-gov (not a miner: a governance attacker that stakes, tries a 2-block lock, locks, proposes the maximum MinTxFee, votes, tries to unstake and passes its TAO on to fresh coldkeys). Repeat for more.", AllowMultipleArgumentsPerToken = true };
        var dataDir = new Option<string>("--data-dir") { Description = "Where wallets, ledger, stores and state live; run again with it to resume.", DefaultValueFactory = _ => Path.Combine(".agora", "devnet") };
        var config = new Option<string>("--config") { Description = "Model config: tiny or small.", DefaultValueFactory = _ => "tiny" };
        var innerSteps = new Option<int>("--inner-steps") { Description = "Inner steps per window.", DefaultValueFactory = _ => 8 };
        var port = new Option<int>("--port") { Description = "Dashboard port on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => 0 };
        var nodePort = new Option<int>("--node-port") { Description = "Node RPC port (0: any free port).", DefaultValueFactory = _ => 0 };
        var windows = new Option<int?>("--windows") { Description = "Stop after the lead validator has scored this many windows." };
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
                if (pr.GetValue(validators) is < 1 or > 8)
                {
                    throw new ArgumentException("--validators must be between 1 and 8.");
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
                    Validators = pr.GetValue(validators),
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
                // Cursor control only on a real terminal; CI and tests read a plain log.
                var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
                return interactive ? await RunLiveAsync(options, ct) : await RunPlainAsync(options, output, ct);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or TimeoutException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunPlainAsync(DevnetOptions options, TextWriter output, CancellationToken ct)
    {
        ulong? shown = null;
        var first = true;
        var supervisor = new DevnetSupervisor(options, output);
        return await supervisor.RunAsync(s =>
        {
            // A resumed data directory starts with the last run's scored window; print only windows scored in this run.
            if (first)
            {
                first = false;
                shown = s.ScoredWindow;
            }
            else if (s.ScoredWindow is { } w && w != shown)
            {
                shown = w;
                output.WriteLine(DevnetView.SummaryLine(s));
            }
        }, ct);
    }

    private static async Task<int> RunLiveAsync(DevnetOptions options, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        return await console.Live(new Text("devnet: starting…"))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async ctx =>
            {
                // Spectre's live display mis-positions the cursor when other text is written while it runs, so the
                // supervisor's log lines become part of the view (its last few lines) instead of scrolling above it.
                DevnetSnapshot? latest = null;
                DevnetSupervisor? supervisor = null;
                using var log = new LogTail(4);
                void Redraw()
                {
                    ctx.UpdateTarget(Render(latest, supervisor?.DashboardEndpoint, log.Lines));
                    ctx.Refresh();
                }

                log.LineWritten = Redraw;
                supervisor = new DevnetSupervisor(options, log);
                return await supervisor.RunAsync(s =>
                {
                    // The supervisor reads a fresh snapshot about once a second, so this redraws in place at that rate.
                    latest = s;
                    Redraw();
                }, ct);
            });
    }

    private static Rows Render(DevnetSnapshot? s, Uri? dashboard, IReadOnlyList<string> log)
    {
        var parts = new List<Spectre.Console.Rendering.IRenderable>();
        if (s is not null)
        {
            var header = DevnetView.Header(s, dashboard).Select(f => $"[grey]{Markup.Escape(f.Label)}[/] [bold]{Markup.Escape(f.Value)}[/]").ToList();
            parts.Add(new Markup(string.Join("  ", header.Take(5))));
            parts.Add(new Markup(string.Join("  ", header.Skip(5))));
            parts.Add(Table(DevnetView.Columns, DevnetView.Rows(s)));
            parts.Add(Table(DevnetView.ValidatorColumns, DevnetView.ValidatorRows(s)));
        }

        parts.AddRange(log.Select(l => new Markup($"[grey]{Markup.Escape(l)}[/]")));
        return new Rows(parts);
    }

    /// <summary>Numbers right-aligned, the name and kind columns left-aligned, a status other than "running" in yellow.</summary>
    private static Table Table(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        }

        table.Columns[1].LeftAligned();
        table.Columns[2].LeftAligned();
        foreach (var row in rows)
        {
            table.AddRow([.. row.Select((cell, i) => i == row.Count - 1 && cell != "running" ? $"[yellow]{Markup.Escape(cell)}[/]" : Markup.Escape(cell))]);
        }

        return table;
    }

    /// <summary>Keeps the supervisor's last few log lines for the live view and reports each completed line.</summary>
    private sealed class LogTail(int capacity) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();
        private readonly Queue<string> _lines = new();

        public Action? LineWritten { get; set; }

        public IReadOnlyList<string> Lines => [.. _lines];

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_line.ToString());
                _line.Clear();
                while (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }

                LineWritten?.Invoke();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
