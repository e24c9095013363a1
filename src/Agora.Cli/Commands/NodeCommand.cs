using System.CommandLine;
using Agora.Node.Ledger;

namespace Agora.Cli.Commands;

/// <summary>`agora node`: run a solo ledger node with a JSON-RPC endpoint on 127.0.0.1, or on the address --listen names.</summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory (ledger.db, genesis.json); created if absent.", Required = true };
        var port = new Option<int>("--port") { Description = "JSON-RPC port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 9944 };
        var listen = new Option<string?>("--listen")
        {
            Description = "Listen on HOST:PORT instead (HOST an IPv4 address, [IPv6] or localhost; 0.0.0.0 for every interface). "
                + "Connection, stream and rate limits apply on any address; requests must name a loopback host or this one.",
        };
        var blockTime = new Option<string>("--block-time") { Description = "Time between blocks, e.g. 1s or 500ms.", DefaultValueFactory = _ => "1s" };
        var tempo = new Option<ushort?>("--tempo") { Description = "Override the tempo (blocks per epoch) of the genesis subnets." };
        var genesis = new Option<string?>("--genesis") { Description = "Genesis JSON file (default: DIR/genesis.json from an earlier start, else a devnet genesis funding the dev faucet)." };
        var snapshotEvery = new Option<ulong>("--snapshot-every") { Description = "Store a state snapshot every N blocks.", DefaultValueFactory = _ => 100UL };
        var command = new Command("node", "Run a ledger node: produce blocks, persist them durably, serve JSON-RPC on 127.0.0.1 (or --listen).")
        {
            data, port, listen, blockTime, tempo, genesis, snapshotEvery,
        };
        command.SetAction(async (pr, ct) =>
        {
            var error = pr.InvocationConfiguration.Error;
            try
            {
                var portValue = pr.GetValue(port);
                if (portValue is < 0 or > 65535)
                {
                    throw new FormatException($"--port {portValue} is not a TCP port (0..65535).");
                }

                var address = System.Net.IPAddress.Loopback;
                if (pr.GetValue(listen) is { } listenText)
                {
                    if (pr.GetResult(port) is { Implicit: false })
                    {
                        throw new FormatException("Give either --listen HOST:PORT or --port, not both.");
                    }

                    var endpoint = NodeHost.ParseListen(listenText);
                    address = endpoint.Address;
                    portValue = endpoint.Port;
                }

                var options = new NodeOptions
                {
                    DataDirectory = pr.GetValue(data)!,
                    Port = portValue,
                    ListenAddress = address,
                    BlockTime = NodeHost.ParseDuration(pr.GetValue(blockTime)!),
                    SnapshotEvery = pr.GetValue(snapshotEvery),
                };
                return await NodeHost.RunAsync(options, pr.GetValue(genesis), pr.GetValue(tempo), pr.InvocationConfiguration.Output, ct);
            }
            catch (Exception e) when (e is FormatException or FileNotFoundException or Agora.Ledger.Storage.LedgerStorageException or IOException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
