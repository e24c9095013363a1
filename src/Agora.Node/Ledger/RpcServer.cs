using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Agora.Node.Http;

namespace Agora.Node.Ledger;

/// <summary>
/// The node's HTTP endpoint, on 127.0.0.1 unless the operator chooses another listen address: <c>POST /rpc</c> (JSON-RPC
/// 2.0, one request per call), <c>GET /blocks?from=H</c> (server-sent events, one "block" event per new block, from height
/// H on) and <c>GET /health</c>. Every request first passes the <see cref="HttpGuard"/> (Host, Origin, content type,
/// connection and rate caps); bodies are bounded before they are read, and event streams are capped per client and in all.
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpGuard _guard;

    private RpcServer(WebApplication app, HttpGuard guard, Uri endpoint)
    {
        _app = app;
        _guard = guard;
        Endpoint = endpoint;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:9944/.</summary>
    public Uri Endpoint { get; }

    /// <summary>The server's caps and the slots they hold now.</summary>
    public HttpGuard Guard => _guard;

    /// <summary>Serves on 127.0.0.1:<paramref name="port"/> (0 picks a free port) with the default limits.</summary>
    public static Task<RpcServer> StartAsync(LedgerNode node, int port, CancellationToken cancellationToken = default)
        => StartAsync(node, new IPEndPoint(IPAddress.Loopback, port), null, cancellationToken);

    /// <summary>Serves on <paramref name="listen"/> (port 0 picks a free one) with <paramref name="limits"/> (null: the defaults).</summary>
    public static async Task<RpcServer> StartAsync(LedgerNode node, IPEndPoint listen, HttpLimits? limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(listen);
        var guard = new HttpGuard(listen.Address, limits ?? HttpLimits.Default);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            guard.Listen(k, listen);
            k.Limits.MaxRequestBodySize = RpcDispatcher.MaxRequestBytes;
        });
        var app = builder.Build();
        app.Use(guard.InvokeAsync);
        var dispatcher = new RpcDispatcher(node);

        app.MapPost("/rpc", async (HttpContext http) =>
        {
            var body = await ReadBodyAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                await HttpGuard.RefuseAsync(http, StatusCodes.Status413PayloadTooLarge, RpcException.RequestTooLarge,
                    $"The request body exceeds {RpcDispatcher.MaxRequestBytes} bytes.").ConfigureAwait(false);
                return;
            }

            var response = await dispatcher.HandleAsync(body, http.RequestAborted).ConfigureAwait(false);
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(response, http.RequestAborted).ConfigureAwait(false);
        });

        app.MapGet("/blocks", async (HttpContext http) =>
        {
            var fromText = http.Request.Query["from"].ToString();
            ulong from;
            if (string.IsNullOrEmpty(fromText))
            {
                from = node.Read(a => a.Height) + 1;
            }
            else if (fromText.Length > 20 || !ulong.TryParse(fromText, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from == 0 || from > long.MaxValue)
            {
                await HttpGuard.RefuseAsync(http, StatusCodes.Status400BadRequest, RpcException.InvalidParams,
                    $"Invalid params: 'from' must be a block height from 1 to {long.MaxValue}.").ConfigureAwait(false);
                return;
            }

            using var slot = await guard.EnterStreamAsync(http).ConfigureAwait(false);
            if (slot is not null)
            {
                await StreamBlocksAsync(node, http, from).ConfigureAwait(false);
            }
        });

        app.MapGet("/health", () => "ok");

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            guard.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        return new RpcServer(app, guard, new Uri($"http://{EndpointHost(listen.Address)}:{bound.Port}/"));
    }

    /// <summary>The host clients use: the listen address, or loopback when it listens on every interface.</summary>
    private static string EndpointHost(IPAddress address)
        => address.Equals(IPAddress.Any) ? "127.0.0.1"
            : address.Equals(IPAddress.IPv6Any) ? "[::1]"
            : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _guard.Dispose();
    }

    /// <summary>The body, or null when it is (or says it is) larger than <see cref="RpcDispatcher.MaxRequestBytes"/>;
    /// a declared length over the cap is refused before reading a byte.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > RpcDispatcher.MaxRequestBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        try
        {
            while (true)
            {
                var n = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return buffer.ToArray();
                }

                if (buffer.Length + n > RpcDispatcher.MaxRequestBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static async Task StreamBlocksAsync(LedgerNode node, HttpContext http, ulong from)
    {
        var ct = http.RequestAborted;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        try
        {
            for (var height = from; ; height++)
            {
                await node.WaitForBlockAboveAsync(height - 1, ct).ConfigureAwait(false);
                // Blocks are stored before they are committed, so a committed height is always readable.
                var block = node.Store.GetBlock(height) ?? throw new InvalidOperationException($"Block {height} is committed but not stored.");

                using var json = new MemoryStream();
                using (var w = new Utf8JsonWriter(json))
                {
                    RpcJson.BlockSummary(w, block);
                }

                var frame = Encoding.UTF8.GetBytes($"id: {height}\nevent: block\ndata: {Encoding.UTF8.GetString(json.ToArray())}\n\n");
                await http.Response.Body.WriteAsync(frame, ct).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
