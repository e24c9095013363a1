using System.CommandLine;

namespace Agora.Cli.Commands;

/// <summary>Every top-level `agora` command, one factory per area; each area's commands live in their own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DataCommands.Create();
        yield return ExperimentCommands.Create();
        foreach (var command in ModelCommands.Create())
        {
            yield return command;
        }

        yield return SimCommand.Create();
        yield return WalletCommands.Create();
        yield return NodeCommand.Create();
        yield return MinerCommand.Create();
        yield return ValidatorCommand.Create();
        yield return DevnetCommand.Create();
        foreach (var command in LedgerCommands.Create()) { yield return command; }
    }
}
