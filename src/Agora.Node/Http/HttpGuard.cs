using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.RateLimiting;
using Agora.Node.Ledger;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Net.Http.Headers;

namespace Agora.Node.Http;

/// <summary>
/// The checks every request to a node's HTTP endpoint passes before any work, shared by the JSON-RPC server and the
/// devnet dashboard:
/// <list type="bullet">
/// <item>connections: at most <see cref="HttpLimits.MaxConnectionsPerClient"/> per client and
/// <see cref="HttpLimits.MaxConnections"/> in all; one more is answered 429 and closed at once;</item>
/// <item>Host: a loopback name or address, or the listen address (DNS rebinding: a page on evil.example whose name
/// resolves to 127.0.0.1 sends Host: evil.example, which is refused);</item>
/// <item>Origin: absent (not a browser), or exactly the Host the request was sent to (a page elsewhere cannot drive the API);</item>
/// <item>POST bodies must be <c>Content-Type: application/json</c> (HTML forms cannot send it without a CORS preflight,
/// which this server never grants);</item>
/// <item>a token bucket per client: <see cref="HttpLimits.RequestsPerSecondPerClient"/>, over it 429.</item>
/// </list>
/// Every refusal is a 4xx with a JSON-RPC style error object and changes nothing.
/// </summary>
public sealed class HttpGuard : IDisposable
{
    private const string OverLimitItem = "agora.connection-refusal";
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly IPAddress _listen;
    private readonly HttpLimits _limits;
    private readonly ClientCounter _connections;
    private readonly ClientCounter _streams;
    private readonly PartitionedRateLimiter<string> _rate;

    public HttpGuard(IPAddress listen, HttpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        _listen = listen;
        _limits = limits;
        _connections = new ClientCounter(limits.MaxConnectionsPerClient, limits.MaxConnections);
        _streams = new ClientCounter(limits.MaxStreamsPerClient, limits.MaxStreams);
        // Idle partitions are dropped by the limiter itself (after about 10 s), so clients that went away cost nothing.
        _rate = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.RequestBurstPerClient,
            TokensPerPeriod = limits.RequestsPerSecondPerClient,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        }));
    }

    public HttpLimits Limits => _limits;

    /// <summary>Open connections now (all clients).</summary>
    public int OpenConnections => _connections.Total;

    /// <summary>Open event streams now (all clients).</summary>
    public int OpenStreams => _streams.Total;

    /// <summary>Listens on <paramref name="endpoint"/> with the connection caps and Kestrel's own limits set.</summary>
    public void Listen(KestrelServerOptions kestrel, IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.AddServerHeader = false;
        kestrel.Limits.RequestHeadersTimeout = _limits.RequestHeadersTimeout;
        kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        kestrel.Limits.MaxRequestLineSize = 4 * 1024;
        kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection => GuardConnectionAsync(connection, next));
        });
    }

    private async Task GuardConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        using var slot = _connections.TryEnter(ClientKey(connection.RemoteEndPoint), out var refusal);
        if (slot is null)
        {
            await RefuseConnectionAsync(connection, $"Too many connections: {refusal}; close one and retry.").ConfigureAwait(false);
            return;
        }

        await next(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers an over-cap connection without giving it to HTTP: read its request head (at most 8 KiB, at most one second,
    /// so the answer does not race the request into a reset), write a 429 and close. It holds nothing afterwards.
    /// </summary>
    private static async Task RefuseConnectionAsync(ConnectionContext connection, string message)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            long seen = 0;
            while (seen < 8192)
            {
                var read = await connection.Transport.Input.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                var done = read.IsCompleted || read.IsCanceled || ContainsHeadEnd(buffer);
                seen += buffer.Length;
                connection.Transport.Input.AdvanceTo(buffer.End);
                if (done)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // A client that sends nothing within the second still gets the answer below.
        }

        try
        {
            var body = RpcDispatcher.Error(null, RpcException.TooManyRequests, message);
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n");
            await connection.Transport.Output.WriteAsync(head).ConfigureAwait(false);
            await connection.Transport.Output.WriteAsync(body).ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            await connection.Transport.Input.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or InvalidOperationException or ObjectDisposedException)
        {
            // The client is gone; nothing to answer.
        }
    }

    private static bool ContainsHeadEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, HeadEnd);
    }

    /// <summary>The HTTP middleware: Host, Origin, content type of POSTs, then the client's request rate.</summary>
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        if (!IsAllowedHost(http.Request.Host))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, RpcException.Forbidden,
                $"Host '{Clip(http.Request.Host.Value)}' is not this server: use a loopback address, localhost or {Format(_listen)}.").ConfigureAwait(false);
            return;
        }

        var origin = http.Request.Headers.Origin;
        if (origin.Count > 1 || (origin.Count == 1 && !IsSameOrigin(origin[0], http.Request.Host)))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, RpcException.Forbidden,
                $"Origin '{Clip(origin.ToString())}' may not use this server; only pages it serves itself may.").ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsPost(http.Request.Method) && !IsJson(http.Request.ContentType))
        {
            await RefuseAsync(http, StatusCodes.Status415UnsupportedMediaType, RpcException.UnsupportedMediaType,
                $"Content-Type '{Clip(http.Request.ContentType)}' is not accepted; send Content-Type: application/json.").ConfigureAwait(false);
            return;
        }

        using var lease = _rate.AttemptAcquire(ClientKey(http.Connection.RemoteIpAddress));
        if (!lease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "1";
            await RefuseAsync(http, StatusCodes.Status429TooManyRequests, RpcException.TooManyRequests,
                $"Too many requests: this client may make {_limits.RequestsPerSecondPerClient} a second (bursts of {_limits.RequestBurstPerClient}); retry shortly.").ConfigureAwait(false);
            return;
        }

        await next(http).ConfigureAwait(false);
    }

    /// <summary>Takes one event-stream slot of the request's client; null (after answering 429) when it is at a cap.</summary>
    public async Task<IDisposable?> EnterStreamAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var slot = _streams.TryEnter(ClientKey(http.Connection.RemoteIpAddress), out var refusal);
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "1";
            await RefuseAsync(http, StatusCodes.Status429TooManyRequests, RpcException.TooManyRequests,
                $"Too many block streams: {refusal}; close one and retry.").ConfigureAwait(false);
        }

        return slot;
    }

    /// <summary>Writes a JSON-RPC style error with an HTTP status; the connection closes after refusals of Host or Origin.</summary>
    public static async Task RefuseAsync(HttpContext http, int status, int code, string message)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var body = RpcDispatcher.Error(null, code, message);
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Whether the Host header names this server: a loopback name or address, or the listen address; when the
    /// server listens on every interface, any IP literal (DNS rebinding needs a name, and an address cannot be rebound).</summary>
    public bool IsAllowedHost(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        var name = Unbracket(host.Host);
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(name, out var address))
        {
            return false;
        }

        address = Normalize(address);
        return IPAddress.IsLoopback(address) || address.Equals(Normalize(_listen))
            || _listen.Equals(IPAddress.Any) || _listen.Equals(IPAddress.IPv6Any);
    }

    /// <summary>Whether <paramref name="origin"/> is http(s)://HOST[:PORT] for exactly the host and port the request was sent to.</summary>
    public static bool IsSameOrigin(string? origin, HostString host)
    {
        if (origin is null || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !host.HasValue)
        {
            return false;
        }

        var defaultPort = uri.Scheme == Uri.UriSchemeHttps ? 443 : 80;
        return string.Equals(Unbracket(uri.Host), Unbracket(host.Host), StringComparison.OrdinalIgnoreCase) && uri.Port == (host.Port ?? defaultPort);
    }

    private static bool IsJson(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>A client: its IPv4 address, or its IPv6 /64 (a host is normally given a whole /64 and could rotate within it).</summary>
    public static string ClientKey(EndPoint? endpoint) => ClientKey((endpoint as IPEndPoint)?.Address);

    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        address = Normalize(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        return Convert.ToHexStringLower(bytes, 0, 8) + "::/64";
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string Unbracket(string host) => host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;

    private static string Format(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>Hostile header text is quoted at most 80 characters long.</summary>
    private static string Clip(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80] + "…";

    public void Dispose() => _rate.Dispose();
}
