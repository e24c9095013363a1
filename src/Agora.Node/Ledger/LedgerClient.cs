using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Agora.Node.Ledger;

/// <summary>
/// Talks to a ledger node over HTTP JSON-RPC. Typed helpers cover status, submit, receipts, accounts and the block
/// stream; <see cref="CallAsync"/> reaches every other method (subnets, pools, metagraph, commitments, proposals).
/// Node errors surface as <see cref="LedgerRpcException"/> with the node's code.
/// </summary>
public sealed class LedgerClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _nextId;

    public LedgerClient(Uri endpoint, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Node endpoint '{endpoint}' must be an absolute http:// URL such as http://127.0.0.1:9944/.", nameof(endpoint));
        }

        Endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Endpoint { get; }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Calls <paramref name="method"/> with named params written by <paramref name="writeParams"/>; returns the result.</summary>
    public async Task<JsonElement> CallAsync(string method, Action<Utf8JsonWriter>? writeParams = null, CancellationToken cancellationToken = default)
    {
        using var body = new MemoryStream();
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteNumber("id", Interlocked.Increment(ref _nextId));
            w.WriteString("method", method);
            w.WriteStartObject("params");
            writeParams?.Invoke(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(new Uri(Endpoint, "rpc"), content, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new LedgerRpcException(method, (int)response.StatusCode, $"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        }

        using var doc = JsonDocument.Parse(bytes);
        if (doc.RootElement.TryGetProperty("error", out var error))
        {
            throw new LedgerRpcException(method, error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString() ?? "");
        }

        return doc.RootElement.GetProperty("result").Clone();
    }

    public async Task<NodeStatusView> GetStatusAsync(CancellationToken cancellationToken = default)
        => NodeStatusView.From(await CallAsync("get_status", null, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Submits signed transaction bytes. Without <paramref name="wait"/> the answer is "pending" once admitted; with it,
    /// the answer comes after the including block is durable (or "pending" if the node's wait limit passed).
    /// </summary>
    public async Task<ReceiptView> SubmitAsync(byte[] signedTx, bool wait = false, CancellationToken cancellationToken = default)
    {
        var hex = Convert.ToHexStringLower(signedTx);
        var result = await CallAsync("submit_tx", w =>
        {
            w.WriteString("tx", hex);
            w.WriteBoolean("wait", wait);
        }, cancellationToken).ConfigureAwait(false);
        return ReceiptView.From(result);
    }

    public async Task<ReceiptView> GetReceiptAsync(string txIdHex, CancellationToken cancellationToken = default)
        => ReceiptView.From(await CallAsync("get_receipt", w => w.WriteString("tx_id", txIdHex), cancellationToken).ConfigureAwait(false));

    public async Task<AccountView> GetAccountAsync(string address, CancellationToken cancellationToken = default)
        => AccountView.From(await CallAsync("get_account", w => w.WriteString("address", address), cancellationToken).ConfigureAwait(false));

    public Task<JsonElement> GetBlockAsync(ulong height, CancellationToken cancellationToken = default)
        => CallAsync("get_block", w => w.WriteNumber("height", height), cancellationToken);

    public Task<JsonElement> GetMetagraphAsync(ushort netuid, CancellationToken cancellationToken = default)
        => CallAsync("get_metagraph", w => w.WriteNumber("netuid", netuid), cancellationToken);

    public Task<JsonElement> GetCommitmentsAsync(ushort netuid, CancellationToken cancellationToken = default)
        => CallAsync("get_commitments", w => w.WriteNumber("netuid", netuid), cancellationToken);

    /// <summary>New blocks from <paramref name="fromHeight"/> on, as the node makes them durable (server-sent events).</summary>
    public async IAsyncEnumerable<BlockSummaryView> SubscribeBlocksAsync(ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, $"blocks?from={fromHeight}"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? data = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && data is not null)
            {
                using var doc = JsonDocument.Parse(data);
                yield return BlockSummaryView.From(doc.RootElement);
                data = null;
            }
        }
    }
}
