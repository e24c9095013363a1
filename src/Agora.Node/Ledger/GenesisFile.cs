using System.Text;
using System.Text.Json;
using Agora.Core.Crypto;
using Agora.Ledger.App;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Node.Ledger;

/// <summary>
/// The genesis file (JSON), e.g.
/// <code>
/// { "chain_id": "agora-devnet", "genesis_timestamp": 0,
///   "balances": [ { "address": "5F...", "balance": 1000000000000 } ],
///   "params": { "MinTxFee": 0 },
///   "subnets": [ { "owner_coldkey": "5F...", "owner_hotkey": "5G...", "lock_tao": 1000000000000, "hyperparameters": { "Tempo": 10 } } ] }
/// </code>
/// Amounts are rao; parameter names are <see cref="GlobalParameter"/> and <see cref="SubnetHyperparameter"/> names.
/// </summary>
public static class GenesisFile
{
    public const int MaxBytes = 16 << 20;

    /// <summary>The development faucet: a well-known key (seed = BLAKE2b-256("agora-devnet-faucet")) funded by the default genesis. Never use on a real network.</summary>
    public static Ed25519KeyPair DevFaucet { get; } = Ed25519KeyPair.FromSeed(Blake2b.Hash256(Encoding.UTF8.GetBytes("agora-devnet-faucet")));

    public const ulong DevFaucetBalance = 1_000_000 * GlobalParameters.Tao;

    /// <summary>
    /// The genesis a node uses when given none: chain "agora-devnet", the faucet funded, no subnets, and no minimum
    /// fee (a local sandbox; a genesis without "MinTxFee" gets the ledger's non-zero default).
    /// </summary>
    public static string DefaultJson() => $$"""
        {
          "chain_id": "agora-devnet",
          "genesis_timestamp": 0,
          "balances": [ { "address": "{{new AccountId(DevFaucet.PublicKey).ToAddress()}}", "balance": {{DevFaucetBalance}} } ],
          "params": { "MinTxFee": 0 },
          "subnets": []
        }
        """;

    public static GenesisConfig Parse(string json, string source, ushort? tempoOverride = null)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: the genesis must be a JSON object.");
            }

            var chainId = Str(root, "chain_id", source);
            var timestamp = root.TryGetProperty("genesis_timestamp", out var ts) ? U64(ts, "genesis_timestamp", source) : 0;
            var balances = new List<(AccountId, ulong)>();
            if (root.TryGetProperty("balances", out var bal))
            {
                foreach (var entry in Array(bal, "balances", source))
                {
                    balances.Add((Account(entry, "address", source), U64(Prop(entry, "balance", source), "balance", source)));
                }
            }

            var parameters = new GlobalParameters();
            if (root.TryGetProperty("params", out var ps))
            {
                foreach (var p in Object(ps, "params", source))
                {
                    if (!Enum.TryParse<GlobalParameter>(p.Name, ignoreCase: false, out var gp) || !Enum.IsDefined(gp))
                    {
                        throw new FormatException($"{source}: unknown global parameter '{p.Name}' (known: {string.Join(", ", GlobalParameters.All)}).");
                    }

                    parameters = parameters.With(gp, U64(p.Value, p.Name, source));
                }
            }

            var subnets = new List<GenesisSubnet>();
            if (root.TryGetProperty("subnets", out var sns))
            {
                foreach (var entry in Array(sns, "subnets", source))
                {
                    var hyper = new SubnetHyperparameters();
                    if (entry.TryGetProperty("hyperparameters", out var hp))
                    {
                        foreach (var p in Object(hp, "hyperparameters", source))
                        {
                            if (!Enum.TryParse<SubnetHyperparameter>(p.Name, ignoreCase: false, out var sp) || !Enum.IsDefined(sp))
                            {
                                throw new FormatException($"{source}: unknown subnet hyperparameter '{p.Name}'.");
                            }

                            hyper = hyper.With(sp, U64(p.Value, p.Name, source));
                        }
                    }

                    if (tempoOverride is { } tempo)
                    {
                        hyper = hyper with { Tempo = tempo };
                    }

                    subnets.Add(new GenesisSubnet(Account(entry, "owner_coldkey", source), Account(entry, "owner_hotkey", source), U64(Prop(entry, "lock_tao", source), "lock_tao", source), hyper));
                }
            }

            var config = new GenesisConfig { ChainId = chainId, GenesisTimestamp = timestamp, Balances = balances, Params = parameters, Subnets = subnets };

            // Build once here so an inconsistent genesis fails at load with the ledger's own reason.
            _ = LedgerApp.FromGenesis(config);
            return config;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source} is not valid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }

    private static JsonElement Prop(JsonElement e, string name, string source)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw new FormatException($"{source}: field '{name}' is missing.");

    private static string Str(JsonElement e, string name, string source)
    {
        var v = Prop(e, name, source);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new FormatException($"{source}: '{name}' must be a string.");
    }

    private static ulong U64(JsonElement v, string name, string source)
        => v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n) ? n : throw new FormatException($"{source}: '{name}' must be a non-negative integer.");

    private static AccountId Account(JsonElement e, string name, string source)
    {
        var text = Str(e, name, source);
        try
        {
            return AccountId.FromAddress(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{source}: '{name}': {ex.Message}", ex);
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement v, string name, string source)
        => v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw new FormatException($"{source}: '{name}' must be an array.");

    private static JsonElement.ObjectEnumerator Object(JsonElement v, string name, string source)
        => v.ValueKind == JsonValueKind.Object ? v.EnumerateObject() : throw new FormatException($"{source}: '{name}' must be an object.");
}
