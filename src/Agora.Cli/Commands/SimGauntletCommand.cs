using System.CommandLine;
using System.Globalization;
using Agora.Gauntlet.Acceptance;
using Agora.Gauntlet.Scoring;
using Agora.Gauntlet.Simulation;
using Agora.Model;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>`agora sim gauntlet`: miners of several behaviours and one validator, in one deterministic process.</summary>
internal static class SimGauntletCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Model config: tiny, small or base.", DefaultValueFactory = _ => "tiny" };
        var windows = new Option<int>("--windows") { Description = "Windows to simulate.", DefaultValueFactory = _ => 20 };
        var miners = new Option<string>("--miners")
        {
            Description = "Miner mix KIND:COUNT,... with kinds honest, copycat, noise, lazy, poison, late, absent.",
            DefaultValueFactory = _ => "honest:4,copycat:1,noise:1,lazy:1,poison:1,late:1",
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed for data, weights and keys.", DefaultValueFactory = _ => 1 };
        var innerSteps = new Option<int>("--inner-steps") { Description = "Inner AdamW steps per window (H).", DefaultValueFactory = _ => 4 };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON instead of tables." };
        var command = new Command("gauntlet", "Simulate miners (honest, copycat, noise, lazy, poison, late, absent) scored by a Gauntlet validator.");
        command.Add(config);
        command.Add(windows);
        command.Add(miners);
        command.Add(seed);
        command.Add(innerSteps);
        command.Add(json);
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(windows), parse.GetValue(miners)!, parse.GetValue(seed),
            parse.GetValue(innerSteps), parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    internal static int Run(string configName, int windowCount, string mix, ulong seed, int innerSteps, bool asJson, TextWriter output, TextWriter error)
    {
        GauntletSimulation simulation;
        try
        {
            if (!ModelConfig.Names.Contains(configName))
            {
                throw new ArgumentException($"--config {configName} is not a model config; use one of {string.Join(", ", ModelConfig.Names)}.");
            }

            if (windowCount < 1)
            {
                throw new ArgumentException($"--windows must be at least 1, got {windowCount}.");
            }

            simulation = new GauntletSimulation(new SimulationOptions
            {
                Config = ModelConfig.Named(configName),
                Windows = windowCount,
                Miners = MinerMix.Parse(mix),
                Seed = seed,
                InnerSteps = innerSteps,
            });
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        IReadOnlyList<SimulatedWindow> results = simulation.Run(window =>
        {
            int scored = window.Report.Miners.Count(m => m.GradientScore is not null);
            error.WriteLine($"window {window.Report.Window}: scored {scored} miners in {window.ScoringTime.TotalSeconds:F3} s ({window.ScoringCpuTime.TotalSeconds:F3} s CPU)");
            if (!asJson)
            {
                console.Write(WindowTable(simulation.Kinds, window));
            }
        });

        if (asJson)
        {
            output.WriteLine(SimulationReport.ToJson(configName, seed, simulation.Kinds, results));
            return 0;
        }

        var summary = new Table().Title("final shares");
        summary.AddColumns("kind", "share");
        foreach (SimulatedMinerKind kind in simulation.Kinds.Distinct().Order())
        {
            summary.AddRow(kind.ToString().ToLowerInvariant(), SimulationReport.FinalShare(simulation.Kinds, results, kind).ToString("P2", CultureInfo.InvariantCulture));
        }

        console.Write(summary);
        return 0;
    }

    private static Table WindowTable(IReadOnlyList<SimulatedMinerKind> kinds, SimulatedWindow window)
    {
        var table = new Table().Title($"window {window.Report.Window}");
        table.AddColumns("uid", "kind", "status", "g", "bma", "ordinal", "final", "weight share");
        foreach (MinerWindowResult m in window.Report.Miners)
        {
            table.AddRow(
                m.Uid.ToString(CultureInfo.InvariantCulture),
                kinds[(int)m.Uid].ToString().ToLowerInvariant(),
                m.Copy is { } c ? $"copy of {c.Original} ({c.Overlap:P0})" : m.Reason == RejectionReason.None ? "accepted" : m.Reason.ToString(),
                m.GradientScore is { } g ? g.ToString("G4", CultureInfo.InvariantCulture) : "-",
                m.Bma.ToString("F3", CultureInfo.InvariantCulture),
                m.Ordinal.ToString("F3", CultureInfo.InvariantCulture),
                m.Final.ToString("F4", CultureInfo.InvariantCulture),
                m.WeightShare.ToString("P1", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
