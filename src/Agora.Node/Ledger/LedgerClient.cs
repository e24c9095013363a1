using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Agora.Node.Ledger;

/// <summary>
/// Talks to a ledger node over HTTP JSON-RPC. Typed helpers cover status, submit, receipts, accounts and the block
/// stream; <see cref="CallAsync"/> reaches every other method (subnets, pools, metagraph, commitments, proposals).
/// Node errors surface as <see cref="LedgerRpcException"/> with the node's code. Every call is bounded in time
/// (<see cref="Timeout"/>; a node that does not answer in time is a <see cref="LedgerTimeoutException"/>) and in size
/// (<see cref="MaxResponseBytes"/>), so a stuck or hostile node cannot hang or exhaust a role.
/// </summary>
public sealed class LedgerClient : IDisposable
{
    /// <summary>How long a call may take unless the constructor says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The most a node may answer to one call: a full block is 10,000 transactions of up to 8 KiB, twice that in hex.</summary>
    public const int MaxResponseBytes = 256 << 20;

    /// <summary>The longest line of the block stream; a block summary is far shorter.</summary>
    public const int MaxEventLineChars = 4 << 20;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _nextId;

    public LedgerClient(Uri endpoint, HttpClient? http = null)
        : this(endpoint, DefaultTimeout, http)
    {
    }

    /// <param name="timeout">How long each call may take (for submit with wait, on top of the node's own wait limit;
    /// for the block stream, until the node answers with the stream's headers).</param>
    public LedgerClient(Uri endpoint, TimeSpan timeout, HttpClient? http = null)
    {
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        }

        Timeout = timeout;
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Node endpoint '{endpoint}' must be an absolute http:// URL such as http://127.0.0.1:9944/.", nameof(endpoint));
        }

        Endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public Uri Endpoint { get; }

    /// <summary>How long one call may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How long a submit with wait may take: the node holds it up to <see cref="RpcDispatcher.DefaultSubmitWaitLimit"/>.</summary>
    private TimeSpan SubmitWaitTimeout => Timeout == System.Threading.Timeout.InfiniteTimeSpan ? Timeout : Timeout + RpcDispatcher.DefaultSubmitWaitLimit;

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Calls <paramref name="method"/> with named params written by <paramref name="writeParams"/>; returns the result.</summary>
    public Task<JsonElement> CallAsync(string method, Action<Utf8JsonWriter>? writeParams = null, CancellationToken cancellationToken = default)
        => CallAsync(method, writeParams, Timeout, cancellationToken);

    private async Task<JsonElement> CallAsync(string method, Action<Utf8JsonWriter>? writeParams, TimeSpan timeout, CancellationToken cancellationToken)
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

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        byte[] bytes;
        HttpStatusCode status;
        try
        {
            using var content = new ByteArrayContent(body.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(new Uri(Endpoint, "rpc"), content, deadline.Token).ConfigureAwait(false);
            status = response.StatusCode;
            bytes = await ReadBoundedAsync(response.Content, method, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LedgerTimeoutException(method, Endpoint, timeout, e);
        }

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            root = doc.RootElement.Clone();
        }
        catch (JsonException) when ((int)status is < 200 or > 299)
        {
            throw new LedgerRpcException(method, (int)status, $"HTTP {(int)status}: {Clip(Encoding.UTF8.GetString(bytes))}");
        }
        catch (JsonException e)
        {
            throw new LedgerRpcException(method, RpcException.ParseError, $"The node's answer is not JSON: {e.Message}");
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("code", out var code) && code.TryGetInt32(out var errorCode))
        {
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            throw new LedgerRpcException(method, errorCode, (int)status is >= 200 and <= 299 ? message : $"HTTP {(int)status}: {message}");
        }

        if ((int)status is < 200 or > 299)
        {
            throw new LedgerRpcException(method, (int)status, $"HTTP {(int)status}: {Clip(Encoding.UTF8.GetString(bytes))}");
        }

        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out var result)
            ? result
            : throw new LedgerRpcException(method, RpcException.InvalidRequest, "The node's answer has neither 'result' nor 'error'.");
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, string method, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new LedgerRpcException(method, RpcException.RequestTooLarge, $"The node's answer is {content.Headers.ContentLength} bytes; at most {MaxResponseBytes} are read.");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxResponseBytes)
            {
                throw new LedgerRpcException(method, RpcException.RequestTooLarge, $"The node's answer exceeds {MaxResponseBytes} bytes.");
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

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
        }, wait ? SubmitWaitTimeout : Timeout, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Every proposal the ledger keeps, with its votes (RPC get_proposals).</summary>
    public async Task<IReadOnlyList<ProposalView>> GetProposalsAsync(CancellationToken cancellationToken = default)
        => [.. (await CallAsync("get_proposals", null, cancellationToken).ConfigureAwait(false)).EnumerateArray().Select(ProposalView.From)];

    public Task<JsonElement> GetCommitmentsAsync(ushort netuid, CancellationToken cancellationToken = default)
        => CallAsync("get_commitments", w => w.WriteNumber("netuid", netuid), cancellationToken);

    /// <summary>New blocks from <paramref name="fromHeight"/> on, as the node makes them durable (server-sent events).</summary>
    public async IAsyncEnumerable<BlockSummaryView> SubscribeBlocksAsync(ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, $"blocks?from={fromHeight}"));
        HttpResponseMessage response;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(Timeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LedgerTimeoutException("blocks", Endpoint, Timeout, e);
            }
        }

        using (response)
        {
            response.EnsureSuccessStatusCode();
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? data = null;
            while (await ReadLineBoundedAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
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

    /// <summary>One line of the stream (without its end), null at the end; a line longer than
    /// <see cref="MaxEventLineChars"/> is an <see cref="InvalidDataException"/> rather than unbounded memory.</summary>
    private static async Task<string?> ReadLineBoundedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new char[1];
        while (true)
        {
            var n = await reader.ReadAsync(one.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }

            switch (one[0])
            {
                case '\n':
                    return line.ToString();
                case '\r':
                    continue;
                default:
                    if (line.Length >= MaxEventLineChars)
                    {
                        throw new InvalidDataException($"The node's block stream sent a line longer than {MaxEventLineChars} characters.");
                    }

                    line.Append(one[0]);
                    break;
            }
        }
    }
}
