using System.CommandLine;
using Agora.Cli.Commands;

var root = new RootCommand("Agora: a permissionless network that trains a language model together and pays each node by the value it adds.");
foreach (var command in CommandCatalog.All())
{
    root.Add(command);
}

return await root.Parse(args).InvokeAsync();
