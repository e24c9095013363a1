using System.Text;
using System.Text.Json;
using Agora.Ledger.Primitives;

namespace Agora.Node.Wallets;

/// <summary>
/// Which chain a wallet signs for. The first time a wallet signs, the chain id and genesis hash of the node it talks
/// to are recorded in <c>DIR/chain-pins/NAME.json</c>; afterwards the wallet refuses to sign for a node serving
/// another genesis (a look-alike devnet, a node swapped under the same URL, a test chain with the same chain id)
/// unless the caller allows it explicitly, which re-pins the wallet to the new chain.
/// </summary>
public static class ChainPin
{
    public const string DirectoryName = "chain-pins";
    private const int MaxFileBytes = 4_096;

    public static string PathOf(Keystore keystore, string wallet)
    {
        ArgumentNullException.ThrowIfNull(keystore);
        WalletName.Validate(wallet);
        return Path.Combine(keystore.Directory, DirectoryName, wallet + ".json");
    }

    /// <summary>The pinned chain of <paramref name="wallet"/>, or null when it has not signed yet. Throws <see cref="WalletException"/> on a damaged pin file.</summary>
    public static (string ChainId, Hash256 GenesisHash)? Read(Keystore keystore, string wallet)
    {
        var path = PathOf(keystore, wallet);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length > MaxFileBytes)
            {
                throw new WalletException($"{path}: the chain pin is {bytes.Length} bytes; a pin is under {MaxFileBytes}.");
            }

            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            var chainId = root.GetProperty("chain_id").GetString() ?? throw new FormatException("chain_id is null");
            var genesis = Hash256.FromHex(root.GetProperty("genesis_hash").GetString() ?? throw new FormatException("genesis_hash is null"));
            return (chainId, genesis);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new WalletException($"{path}: the chain pin is damaged ({e.Message}); delete it to pin the wallet again on its next signature.");
        }
    }

    /// <summary>
    /// Allows signing for (<paramref name="chainId"/>, <paramref name="genesisHash"/>): pins a wallet that has no pin yet,
    /// passes a matching pin, and throws <see cref="WalletException"/> for another chain unless <paramref name="allowNewChain"/>
    /// (then the wallet is pinned to the new chain).
    /// </summary>
    public static void Check(Keystore keystore, string wallet, string chainId, Hash256 genesisHash, bool allowNewChain)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        var pinned = Read(keystore, wallet);
        if (pinned is { } p && p.GenesisHash == genesisHash && p.ChainId == chainId)
        {
            return;
        }

        if (pinned is { } old && !allowNewChain)
        {
            throw new WalletException(
                $"wallet '{wallet}' is pinned to chain '{old.ChainId}' (genesis {old.GenesisHash.ToHex()}), but the node serves chain '{chainId}' " +
                $"(genesis {genesisHash.ToHex()}). Refusing to sign for another chain; pass --allow-new-chain if you mean to use this wallet there (it re-pins the wallet).");
        }

        Write(PathOf(keystore, wallet), chainId, genesisHash);
    }

    private static void Write(string path, string chainId, Hash256 genesisHash)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("chain_id", chainId);
            w.WriteString("genesis_hash", genesisHash.ToHex());
            w.WriteEndObject();
            w.Flush();
            stream.Write(Encoding.UTF8.GetBytes("\n"));
        });
    }
}
