using System.Text.Json;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;

namespace Agora.Node.Ledger;

/// <summary>
/// The JSON-RPC methods of a ledger node. Every request is validated before it touches the node; a rejected
/// request changes nothing. Queries read the committed state only.
/// </summary>
public sealed class RpcDispatcher(LedgerNode node)
{
    public const int MaxRequestBytes = 1 << 20;

    /// <summary>The default of <see cref="SubmitWaitLimit"/>.</summary>
    public static readonly TimeSpan DefaultSubmitWaitLimit = TimeSpan.FromSeconds(60);

    /// <summary>How long submit_tx with wait=true holds the request before answering "pending".</summary>
    public TimeSpan SubmitWaitLimit { get; init; } = DefaultSubmitWaitLimit;

    public static IReadOnlyList<string> Methods { get; } =
    [
        "get_status", "submit_tx", "get_receipt", "get_block", "get_account", "get_subnets", "get_subnet", "get_pools",
        "get_metagraph", "get_neuron", "get_commitments", "get_artifact_commitments", "get_proposals",
    ];

    /// <summary>Handles one request body and returns the response body (always a JSON-RPC 2.0 response object).</summary>
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return Error(null, RpcException.ParseError, $"The request is not valid JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            JsonElement? id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var idElement) ? idElement.Clone() : null;
            try
            {
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new RpcException(RpcException.InvalidRequest, "A request is one JSON object {\"jsonrpc\":\"2.0\",\"id\":...,\"method\":...,\"params\":{...}}; batches are not supported.");
                }

                if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
                {
                    throw new RpcException(RpcException.InvalidRequest, "The request has no string 'method'.");
                }

                var parameters = root.TryGetProperty("params", out var p) ? p : default;
                if (parameters.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
                {
                    throw new RpcException(RpcException.InvalidParams, "'params' must be an object of named parameters.");
                }

                var method = methodElement.GetString()!;
                return await Dispatch(method, new Params(parameters), id, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                return Error(id, e.Code, e.Message);
            }
        }
    }

    private async Task<byte[]> Dispatch(string method, Params p, JsonElement? id, CancellationToken cancellationToken)
    {
        switch (method)
        {
            case "get_status":
                p.NoneOtherThan();
                return Result(id, w => node.Read(app =>
                {
                    RpcJson.Status(w, app, node.GenesisHash, node.MempoolSize);
                    return 0;
                }));
            case "submit_tx":
                return await SubmitTx(p, id, cancellationToken).ConfigureAwait(false);
            case "get_receipt":
            {
                p.NoneOtherThan("tx_id");
                var txId = p.Hash("tx_id");
                var status = node.GetStatus(txId);
                return Result(id, w => RpcJson.Receipt(w, txId, status));
            }

            case "get_block":
            {
                p.NoneOtherThan("height", "hash");
                var block = p.OptionalHash("hash") is { } hash
                    ? node.Store.GetBlock(hash) ?? throw new RpcException(RpcException.NotFound, $"No block has hash {hash.ToHex()}.")
                    : p.OptionalU64("height") is { } height
                        ? BlockAt(height)
                        : node.Store.GetBlock(node.Read(a => a.Height)) ?? throw new RpcException(RpcException.NotFound, "The chain has no blocks yet.");
                var receipts = node.Store.GetReceipts(block.Header.Height);
                return Result(id, w => RpcJson.Block(w, block, receipts));
            }

            case "get_account":
            {
                p.NoneOtherThan("address");
                var account = p.Account("address");
                var info = node.Read(app => app.Query.GetAccount(account));
                return Result(id, w => RpcJson.Account(w, info));
            }

            case "get_subnets":
            {
                p.NoneOtherThan();
                var subnets = node.Read(app => app.Query.Subnets());
                return Result(id, w => WriteArray(w, subnets, RpcJson.Subnet));
            }

            case "get_subnet":
            {
                p.NoneOtherThan("netuid");
                var netuid = p.U16("netuid");
                var subnet = node.Read(app => app.Query.GetSubnet(netuid)) ?? throw UnknownSubnet(netuid);
                return Result(id, w => RpcJson.Subnet(w, subnet));
            }

            case "get_pools":
            {
                p.NoneOtherThan();
                var pools = node.Read(app => app.Query.Pools());
                return Result(id, w => WriteArray(w, pools, RpcJson.Pool));
            }

            case "get_metagraph":
            {
                p.NoneOtherThan("netuid");
                var netuid = p.U16("netuid");
                var metagraph = node.Read(app => app.Query.GetMetagraph(netuid)) ?? throw UnknownSubnet(netuid);
                return Result(id, w => RpcJson.Metagraph(w, metagraph));
            }

            case "get_neuron":
            {
                p.NoneOtherThan("netuid", "uid");
                var netuid = p.U16("netuid");
                var uid = p.U16("uid");
                var metagraph = node.Read(app => app.Query.GetMetagraph(netuid)) ?? throw UnknownSubnet(netuid);
                var neuron = metagraph.Neurons.FirstOrDefault(n => n.Uid == uid)
                    ?? throw new RpcException((int)TxCode.UnknownUid, $"Subnet {netuid} has no UID {uid} (it has {metagraph.Neurons.Count} neurons).");
                return Result(id, w => RpcJson.Metagraph(w, metagraph with { Neurons = [neuron] }));
            }

            case "get_commitments":
            {
                p.NoneOtherThan("netuid");
                var netuid = p.U16("netuid");
                var commitments = node.Read(app => app.Query.GetSubnet(netuid) is null ? null : app.Query.Commitments(netuid)) ?? throw UnknownSubnet(netuid);
                return Result(id, w => WriteArray(w, commitments, RpcJson.Commitment));
            }

            case "get_artifact_commitments":
            {
                p.NoneOtherThan("netuid");
                var netuid = p.U16("netuid");
                var artifacts = node.Read(app => app.Query.GetSubnet(netuid) is null ? null : app.Query.ArtifactCommitments(netuid)) ?? throw UnknownSubnet(netuid);
                return Result(id, w => WriteArray(w, artifacts, RpcJson.ArtifactCommitment));
            }

            case "get_proposals":
            {
                p.NoneOtherThan();
                var proposals = node.Read(app => app.Query.Proposals());
                return Result(id, w => WriteArray(w, proposals, RpcJson.ProposalJson));
            }

            default:
                throw new RpcException(RpcException.MethodNotFound, $"Unknown method '{method}'. Methods: {string.Join(", ", Methods)}.");
        }
    }

    private async Task<byte[]> SubmitTx(Params p, JsonElement? id, CancellationToken cancellationToken)
    {
        p.NoneOtherThan("tx", "wait");
        var tx = p.Hex("tx", Agora.Ledger.Blocks.Block.MaxTransactionBytes);
        var wait = p.OptionalBool("wait") ?? false;
        Hash256 txId;
        try
        {
            txId = node.Submit(tx);
        }
        catch (TxSubmitException e)
        {
            throw new RpcException(e.Code, e.Message);
        }

        if (!wait)
        {
            return Result(id, w => RpcJson.Receipt(w, txId, new TxStatus(TxState.Pending, null, null)));
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(SubmitWaitLimit);
        TxStatus status;
        try
        {
            status = await node.WaitForTxAsync(txId, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            status = node.GetStatus(txId);
        }

        return Result(id, w => RpcJson.Receipt(w, txId, status));
    }

    /// <summary>The block at a height of the committed chain; a height above the tip (up to 2^64 − 1) is "not found",
    /// checked before the store is asked (it keeps heights as signed 64-bit numbers).</summary>
    private Agora.Ledger.Blocks.Block BlockAt(ulong height)
    {
        var tip = node.Read(a => a.Height);
        return (height <= tip ? node.Store.GetBlock(height) : null)
            ?? throw new RpcException(RpcException.NotFound, $"Block {height} does not exist (the chain is at height {tip}).");
    }

    private static RpcException UnknownSubnet(ushort netuid) => new((int)TxCode.UnknownSubnet, $"Subnet {netuid} does not exist.");

    private static void WriteArray<T>(Utf8JsonWriter w, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        w.WriteStartArray();
        foreach (var item in items)
        {
            write(w, item);
        }

        w.WriteEndArray();
    }

    private static byte[] Result(JsonElement? id, Action<Utf8JsonWriter> writeResult)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            WriteId(w, id);
            w.WritePropertyName("result");
            writeResult(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] Error(JsonElement? id, int code, string message)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            WriteId(w, id);
            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("message", message);
            if (code > 0 && Enum.IsDefined((TxCode)code))
            {
                w.WriteString("name", ((TxCode)code).ToString());
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteId(Utf8JsonWriter w, JsonElement? id)
    {
        w.WritePropertyName("id");
        if (id is { } value && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            value.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Typed access to named params; every problem is a -32602 naming the parameter.</summary>
    private readonly struct Params(JsonElement element)
    {
        private bool Has(string name, out JsonElement value)
        {
            value = default;
            return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
        }

        public void NoneOtherThan(params string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (Array.IndexOf(allowed, property.Name) < 0)
                {
                    throw Bad($"unknown parameter '{property.Name}'" + (allowed.Length == 0 ? " (this method takes none)" : $" (expected: {string.Join(", ", allowed)})"));
                }
            }
        }

        public string String(string name)
            => Has(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad($"'{name}' is required and must be a string");

        public ulong? OptionalU64(string name)
        {
            if (!Has(name, out var v))
            {
                return null;
            }

            return v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n) ? n : throw Bad($"'{name}' must be a non-negative integer");
        }

        public ushort U16(string name)
            => Has(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt16(out var n) ? n : throw Bad($"'{name}' is required and must be an integer 0..65535");

        public bool? OptionalBool(string name)
        {
            if (!Has(name, out var v))
            {
                return null;
            }

            return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Bad($"'{name}' must be true or false");
        }

        /// <summary>Hex of at most <paramref name="maxBytes"/> bytes; the length is checked before the text is scanned.</summary>
        public byte[] Hex(string name, int maxBytes)
        {
            var text = String(name).AsSpan();
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                text = text[2..];
            }

            if (text.Length > 2 * maxBytes)
            {
                throw Bad($"'{name}' is {text.Length / 2} bytes or more; at most {maxBytes} are accepted");
            }

            if (text.Length % 2 != 0 || text.ContainsAnyExcept(HexDigits))
            {
                throw Bad($"'{name}' must be an even-length hex string");
            }

            return Convert.FromHexString(text);
        }

        public Hash256 Hash(string name) => OptionalHash(name) ?? throw Bad($"'{name}' is required (64 hex characters)");

        public Hash256? OptionalHash(string name)
        {
            if (!Has(name, out _))
            {
                return null;
            }

            var bytes = Hex(name, Hash256.Length);
            return bytes.Length == Hash256.Length ? new Hash256(bytes) : throw Bad($"'{name}' must be 32 bytes (64 hex characters), got {bytes.Length} bytes");
        }

        public AccountId Account(string name)
        {
            var text = String(name);
            try
            {
                return AccountId.FromAddress(text);
            }
            catch (FormatException e)
            {
                throw Bad($"'{name}': {e.Message}");
            }
        }

        private static RpcException Bad(string message) => new(RpcException.InvalidParams, $"Invalid params: {message}.");
    }
}
