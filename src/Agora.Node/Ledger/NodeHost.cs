using System.Globalization;
using Agora.Ledger.App;

namespace Agora.Node.Ledger;

/// <summary>
/// Runs a ledger node process: resolve the genesis, recover from the data directory, serve JSON-RPC and
/// produce blocks until cancelled. The genesis in effect is saved as DIR/genesis.json on first start and reused
/// on restarts, so a node always resumes the chain it began.
/// </summary>
public static class NodeHost
{
    public const string GenesisFileName = "genesis.json";

    /// <summary>The genesis to use: --genesis FILE, else DIR/genesis.json from an earlier start, else the dev default.</summary>
    public static GenesisConfig ResolveGenesis(string dataDirectory, string? genesisPath, ushort? tempo, out string json)
    {
        var saved = Path.Combine(dataDirectory, GenesisFileName);
        string source;
        if (!string.IsNullOrEmpty(genesisPath))
        {
            if (!File.Exists(genesisPath))
            {
                throw new FileNotFoundException($"Genesis file {genesisPath} does not exist.", genesisPath);
            }

            json = File.ReadAllText(genesisPath);
            source = genesisPath;
        }
        else if (File.Exists(saved))
        {
            json = File.ReadAllText(saved);
            source = saved;
        }
        else
        {
            json = GenesisFile.DefaultJson();
            source = "the default devnet genesis";
        }

        return GenesisFile.Parse(json, source, tempo);
    }

    public static async Task<int> RunAsync(NodeOptions options, string? genesisPath, ushort? tempo, TextWriter output, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var genesis = ResolveGenesis(options.DataDirectory, genesisPath, tempo, out var genesisJson);
        using var node = LedgerNode.Open(options, genesis);
        var saved = Path.Combine(options.DataDirectory, GenesisFileName);
        if (!File.Exists(saved))
        {
            await File.WriteAllTextAsync(saved, genesisJson, cancellationToken).ConfigureAwait(false);
        }

        var recovery = node.Recovery;
        await output.WriteLineAsync(
            $"agora node: chain '{genesis.ChainId}' at height {recovery.App.Height} (snapshot {recovery.SnapshotHeight}, replayed {recovery.ReplayedBlocks} blocks), state root {recovery.App.StateRoot.ToHex()}").ConfigureAwait(false);
        await using var server = await RpcServer.StartAsync(node, options.Port, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"agora node: listening on {server.Endpoint}").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await node.RunAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"agora node: stopped at height {node.Read(a => a.Height)}").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Parses "1s", "500ms", "2m" or a bare number of seconds.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var t = text.Trim();
        (string Number, double Scale) parts = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 1)
            : t.EndsWith('s') ? (t[..^1], 1000)
            : t.EndsWith('m') ? (t[..^1], 60_000)
            : (t, 1000);
        if (!long.TryParse(parts.Number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw new FormatException($"Duration '{text}' is not a positive whole number with an optional unit ms, s or m (e.g. 1s, 500ms).");
        }

        return TimeSpan.FromMilliseconds(n * parts.Scale);
    }
}
