using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Agora.Ledger.Consensus;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>`agora sim yuma SCENARIO.json [--json]`: replays a "yuma-scenario/1" file (../shared/vectors/yuma/README.md
/// §3) through the ledger's real epoch code. With --json it prints every epoch's outputs in the shape of the file's
/// `expect` objects (plus `trace_bits`), so any scenario can be checked from outside; otherwise a table per epoch.
/// Epochs whose step carries an `expect` are compared with it, and any difference makes the exit code 1.</summary>
public static class SimYumaCommand
{
    public const string ResultFormat = "yuma-scenario-result/1";

    public static Command Create()
    {
        var file = new Argument<FileInfo>("scenario") { Description = "A yuma-scenario/1 JSON file (format: src/Agora.Ledger/Consensus/Scenario/FORMAT.md)." };
        var json = new Option<bool>("--json") { Description = "Print every epoch's outputs as JSON (the shape of the file's expect objects)." };
        var command = new Command("yuma", "Replay a Yuma Consensus scenario through the ledger's epoch and print each epoch's outputs.");
        command.Add(file);
        command.Add(json);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    /// <summary>0: replayed (and every present expect matched); 1: malformed scenario or a mismatch; 2: no such file.</summary>
    public static int Run(FileInfo file, bool asJson, TextWriter output, TextWriter error)
    {
        if (!file.Exists)
        {
            error.WriteLine($"error: scenario file {file.FullName} does not exist; pass the path of a yuma-scenario/1 JSON file.");
            return 2;
        }

        YumaScenario scenario;
        IReadOnlyList<ScenarioEpoch> epochs;
        try
        {
            scenario = YumaScenario.Parse(File.ReadAllText(file.FullName));
            epochs = YumaScenarioRunner.Run(scenario);
        }
        catch (FormatException e)
        {
            error.WriteLine($"error: {file.Name}: {e.Message}");
            return 1;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: {file.Name}: the scenario's state is not a valid epoch input: {e.Message}");
            return 1;
        }

        var mismatches = new List<string>();
        foreach (var epoch in epochs)
        {
            if (scenario.Steps[epoch.StepIndex] is EpochStep { Expect: { } expect })
            {
                mismatches.AddRange(Compare(expect, epoch.Output).Select(m => $"steps[{epoch.StepIndex}] (block {epoch.Block}): {m}"));
            }
        }

        if (asJson)
        {
            output.WriteLine(ToJson(scenario, epochs));
        }
        else
        {
            WriteTables(scenario, epochs, output);
        }

        foreach (var mismatch in mismatches)
        {
            error.WriteLine($"mismatch: {mismatch}");
        }

        return mismatches.Count == 0 ? 0 : 1;
    }

    /// <summary>{"format", "id", "name", "epochs": [{"step", "block", "expect": {...}, "trace_bits": {...}}]}.</summary>
    public static string ToJson(YumaScenario scenario, IReadOnlyList<ScenarioEpoch> epochs)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", ResultFormat);
            writer.WriteString("id", scenario.Id);
            writer.WriteString("name", scenario.Name);
            writer.WriteStartArray("epochs");
            foreach (var epoch in epochs)
            {
                writer.WriteStartObject();
                writer.WriteNumber("step", epoch.StepIndex);
                writer.WriteNumber("block", epoch.Block);
                writer.WritePropertyName("expect");
                EpochOutputJson.WriteExpect(writer, epoch.Output);
                writer.WritePropertyName("trace_bits");
                EpochOutputJson.WriteTrace(writer, epoch.Output.Trace);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Field-by-field differences between a file's expect object and an epoch's outputs.</summary>
    public static IReadOnlyList<string> Compare(JsonElement expect, EpochOutput output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            EpochOutputJson.WriteExpect(writer, output);
        }

        using var actual = JsonDocument.Parse(stream.ToArray());
        var differences = new List<string>();
        foreach (var field in expect.EnumerateObject())
        {
            if (!actual.RootElement.TryGetProperty(field.Name, out var got))
            {
                differences.Add($"expect.{field.Name} is not an epoch output");
            }
            else if (Canonical(field.Value) != Canonical(got))
            {
                differences.Add($"{field.Name}: expected {Canonical(field.Value)}, got {Canonical(got)}");
            }
        }

        return differences;
    }

    private static string Canonical(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Canonical)) + "]",
        _ => element.GetRawText(),
    };

    private static void WriteTables(YumaScenario scenario, IReadOnlyList<ScenarioEpoch> epochs, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;  // eleven numeric columns; wrapping them would make the table unreadable
        foreach (var epoch in epochs)
        {
            var o = epoch.Output;
            var table = new Table().Title($"{Markup.Escape(scenario.Id)} epoch at block {epoch.Block} (step {epoch.StepIndex}, {(scenario.Yuma3 ? "Yuma 3" : "original Yuma")})");
            table.AddColumns("uid", "active", "permit", "stake", "consensus", "vtrust", "incentive", "dividends", "server rao", "validator rao", "emission rao");
            for (var i = 0; i < o.Active.Length; i++)
            {
                table.AddRow(
                    i.ToString(CultureInfo.InvariantCulture),
                    o.Active[i] ? "yes" : "no",
                    o.ValidatorPermit[i] ? "yes" : "no",
                    o.StakeWeight[i].ToString(CultureInfo.InvariantCulture),
                    o.Consensus[i].ToString(CultureInfo.InvariantCulture),
                    o.ValidatorTrust[i].ToString(CultureInfo.InvariantCulture),
                    o.Incentive[i].ToString(CultureInfo.InvariantCulture),
                    o.Dividends[i].ToString(CultureInfo.InvariantCulture),
                    o.ServerEmission[i].ToString(CultureInfo.InvariantCulture),
                    o.ValidatorEmission[i].ToString(CultureInfo.InvariantCulture),
                    o.Emission[i].ToString(CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }
    }
}
