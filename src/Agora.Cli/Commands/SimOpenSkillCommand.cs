using System.CommandLine;
using System.Globalization;
using Agora.Gauntlet.OpenSkill;
using Spectre.Console;

namespace Agora.Cli.Commands;

/// <summary>`agora sim openskill FILE.json [--json]`: rates the matches of a scenario file (format: src/Agora.Gauntlet/OpenSkill/FORMAT.md).</summary>
internal static class SimOpenSkillCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Scenario JSON: model, options, players and matches (see src/Agora.Gauntlet/OpenSkill/FORMAT.md)." };
        var json = new Option<bool>("--json") { Description = "Print the final ratings as JSON instead of a table." };
        var command = new Command("openskill", "Rate a sequence of matches with an OpenSkill (Weng-Lin) model and print the final ratings.");
        command.Add(file);
        command.Add(json);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    internal static int Run(FileInfo file, bool asJson, TextWriter output, TextWriter error)
    {
        if (!file.Exists)
        {
            error.WriteLine($"error: scenario file {file.FullName} does not exist; pass the path of a JSON scenario.");
            return 2;
        }

        OpenSkillScenario scenario;
        IReadOnlyList<ScenarioStanding> standings;
        try
        {
            scenario = OpenSkillScenario.Parse(File.ReadAllText(file.FullName));
            standings = scenario.Run();
        }
        catch (FormatException e)
        {
            error.WriteLine($"error: {file.Name}: {e.Message}");
            return 1;
        }

        if (asJson)
        {
            output.WriteLine(ScenarioReport.ToJson(scenario, standings));
            return 0;
        }

        var table = new Table().Title($"{scenario.Model.Kind} after {scenario.Matches.Count} matches");
        table.AddColumns("player", "mu", "sigma", "ordinal", "matches");
        foreach (ScenarioStanding s in standings)
        {
            table.AddRow(
                Markup.Escape(s.Id),
                s.Rating.Mu.ToString("F4", CultureInfo.InvariantCulture),
                s.Rating.Sigma.ToString("F4", CultureInfo.InvariantCulture),
                s.Rating.Ordinal().ToString("F4", CultureInfo.InvariantCulture),
                s.Matches.ToString(CultureInfo.InvariantCulture));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Write(table);
        return 0;
    }
}
