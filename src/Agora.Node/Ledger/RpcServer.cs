using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agora.Node.Ledger;

/// <summary>
/// The node's HTTP endpoint on 127.0.0.1 only: <c>POST /rpc</c> (JSON-RPC 2.0, one request per call),
/// <c>GET /blocks?from=H</c> (server-sent events, one "block" event per new block, from height H on) and
/// <c>GET /health</c>.
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RpcServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:9944/.</summary>
    public Uri Endpoint { get; }

    public static async Task<RpcServer> StartAsync(LedgerNode node, int port, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = RpcDispatcher.MaxRequestBytes;
        });
        var app = builder.Build();
        var dispatcher = new RpcDispatcher(node);

        app.MapPost("/rpc", async (HttpContext http) =>
        {
            byte[] response;
            var body = await ReadBodyAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
            response = body is null
                ? RpcDispatcher.Error(null, RpcException.InvalidRequest, $"The request body exceeds {RpcDispatcher.MaxRequestBytes} bytes.")
                : await dispatcher.HandleAsync(body, http.RequestAborted).ConfigureAwait(false);
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
            else if (!ulong.TryParse(fromText, out from) || from == 0)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                http.Response.ContentType = "application/json";
                await http.Response.Body.WriteAsync(RpcDispatcher.Error(null, RpcException.InvalidParams, "Invalid params: 'from' must be a block height of at least 1."), http.RequestAborted).ConfigureAwait(false);
                return;
            }

            await StreamBlocksAsync(node, http, from).ConfigureAwait(false);
        });

        app.MapGet("/health", () => "ok");

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        return new RpcServer(app, new Uri($"http://127.0.0.1:{bound.Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
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
