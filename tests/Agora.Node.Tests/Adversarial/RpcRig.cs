using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Agora.Node.Http;
using Agora.Node.Ledger;
using Microsoft.Data.Sqlite;

namespace Agora.Node.Tests.Adversarial;

/// <summary>An in-process node and its RPC server (optionally with tight limits), and raw HTTP with any headers an attacker sends.</summary>
internal sealed class RpcRig : IAsyncDisposable
{
    public const string Chain = "rpc-abuse";
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-rpc-abuse-").FullName;

    private RpcRig()
    {
    }

    public LedgerNode Node { get; private set; } = null!;

    public RpcServer Server { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<RpcRig> StartAsync(HttpLimits? limits = null)
    {
        var rig = new RpcRig();
        var genesis = GenesisFile.Parse(NodeFixtures.GenesisJson(Chain), "test genesis");
        rig.Node = LedgerNode.Open(new NodeOptions { DataDirectory = rig._dir, Port = 0 }, genesis);
        rig.Server = limits is null
            ? await RpcServer.StartAsync(rig.Node, 0)
            : await RpcServer.StartAsync(rig.Node, new IPEndPoint(IPAddress.Loopback, 0), limits);
        return rig;
    }

    public Uri Rpc => new(Server.Endpoint, "rpc");

    public static string SubmitBody(byte[] tx)
        => $$$"""{"jsonrpc":"2.0","id":1,"method":"submit_tx","params":{"tx":"{{{Convert.ToHexStringLower(tx)}}}"}}""";

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string body, string contentType = "application/json",
        string? host = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Rpc);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The JSON-RPC error code of an answer body (it must be a JSON error object).</summary>
    public static int ErrorCode(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetProperty("code").GetInt32();
    }

    public static string ErrorMessage(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Node.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
