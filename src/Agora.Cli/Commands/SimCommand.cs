using System.CommandLine;

namespace Agora.Cli.Commands;

/// <summary>`agora sim ...`: deterministic in-process simulations; each area contributes its subcommands from its own file.</summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var sim = new Command("sim", "Run deterministic in-process simulations (ratings, scoring, consensus).");
        sim.Add(SimOpenSkillCommand.Create());
        sim.Add(SimGauntletCommand.Create());
        sim.Add(SimYumaCommand.Create());
        return sim;
    }
}
