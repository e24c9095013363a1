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
        await using var server = await RpcServer.StartAsync(node, new System.Net.IPEndPoint(options.ListenAddress, options.Port), options.Limits, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"agora node: listening on {server.Endpoint}").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await node.RunAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"agora node: stopped at height {node.Read(a => a.Height)}").ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Parses <c>HOST:PORT</c> for <c>agora node --listen</c>: HOST an IPv4 address, <c>[IPv6]</c> or <c>localhost</c>
    /// (loopback); PORT 0..65535 (0 picks a free port). Names other than localhost are refused: the node binds an address.
    /// </summary>
    public static System.Net.IPEndPoint ParseListen(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var colon = t.LastIndexOf(':');
        if (t.Length > 64 || colon <= 0)
        {
            throw new FormatException($"--listen '{Clip(text)}' is not HOST:PORT (e.g. 127.0.0.1:9944, 0.0.0.0:9944 or [::1]:9944).");
        }

        var host = t[..colon];
        var portText = t[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException($"--listen '{Clip(text)}': port '{portText}' is not a TCP port (0..65535).");
        }

        System.Net.IPAddress? address;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = System.Net.IPAddress.Loopback;
        }
        else
        {
            var bracketed = host.StartsWith('[') && host.EndsWith(']');
            var literal = bracketed ? host[1..^1] : host;
            if (!System.Net.IPAddress.TryParse(literal, out address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != bracketed
                || (!bracketed && literal.Count(c => c == '.') != 3))
            {
                throw new FormatException($"--listen '{Clip(text)}': host '{host}' is not an IPv4 address, a bracketed IPv6 address or localhost.");
            }
        }

        return new System.Net.IPEndPoint(address, port);
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";

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
