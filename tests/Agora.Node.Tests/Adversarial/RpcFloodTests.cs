using System.Net;
using System.Net.Sockets;
using System.Text;
using Agora.Node.Http;
using Agora.Node.Ledger;

namespace Agora.Node.Tests.Adversarial;

/// <summary>
/// One client flooding the RPC (many connections, many block streams, many requests) meets a cap and a 429 JSON error;
/// the node keeps serving, and a released slot is usable again.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class RpcFloodTests
{
    [Fact]
    public async Task Block_streams_over_the_per_client_cap_are_refused_with_429_until_one_closes()
    {
        await using var rig = await RpcRig.StartAsync(new HttpLimits { MaxStreamsPerClient = 2 });
        var blocks = new Uri(rig.Server.Endpoint, "blocks");
        var first = await rig.Http.GetAsync(blocks, HttpCompletionOption.ResponseHeadersRead);
        using var second = await rig.Http.GetAsync(blocks, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));

        using (var third = await rig.Http.GetAsync(blocks, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal(RpcException.TooManyRequests, RpcRig.ErrorCode(await third.Content.ReadAsStringAsync()));
        }

        first.Dispose();
        await WaitUntil(() => rig.Server.Guard.OpenStreams == 1);
        using var again = await rig.Http.GetAsync(blocks, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Block_streams_over_the_total_cap_are_refused_with_429()
    {
        await using var rig = await RpcRig.StartAsync(new HttpLimits { MaxStreams = 1 });
        var blocks = new Uri(rig.Server.Endpoint, "blocks");
        using var first = await rig.Http.GetAsync(blocks, HttpCompletionOption.ResponseHeadersRead);
        using var second = await rig.Http.GetAsync(blocks, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (first.StatusCode, second.StatusCode));
    }

    [Theory]
    [InlineData(2, 100)]
    [InlineData(100, 2)]
    public async Task Connections_over_the_per_client_or_total_cap_get_a_429_json_answer(int perClient, int total)
    {
        await using var rig = await RpcRig.StartAsync(new HttpLimits { MaxConnectionsPerClient = perClient, MaxConnections = total });
        var port = rig.Server.Endpoint.Port;
        using var a = await OpenKeptAliveAsync(port);
        using var b = await OpenKeptAliveAsync(port);
        Assert.Equal(2, rig.Server.Guard.OpenConnections);

        var (status, body) = await RawGetAsync(port);
        Assert.StartsWith("HTTP/1.1 429", status);
        Assert.Equal(RpcException.TooManyRequests, RpcRig.ErrorCode(body));

        a.Dispose();
        await WaitUntil(() => rig.Server.Guard.OpenConnections == 1);
        var (after, _) = await RawGetAsync(port);
        Assert.StartsWith("HTTP/1.1 200", after);
    }

    [Fact]
    public async Task A_request_flood_from_one_client_is_rate_limited_with_429_json()
    {
        await using var rig = await RpcRig.StartAsync(new HttpLimits { RequestBurstPerClient = 5, RequestsPerSecondPerClient = 1 });
        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add(await rig.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"get_status"}"""));
        }

        var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, a => Assert.Equal(RpcException.TooManyRequests, RpcRig.ErrorCode(a.Body)));
        Assert.Equal(HttpStatusCode.OK, answers[0].Status);
    }

    [Fact]
    public void Limits_that_are_not_positive_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpGuard(IPAddress.Loopback, new HttpLimits { MaxStreams = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpGuard(IPAddress.Loopback, new HttpLimits { RequestsPerSecondPerClient = -1 }));
    }

    /// <summary>A connection that made one request and is kept alive (so it is surely counted).</summary>
    private static async Task<TcpClient> OpenKeptAliveAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        var head = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 200", head);
        return tcp;
    }

    private static async Task<(string Status, string Body)> RawGetAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var all = await reader.ReadToEndAsync();
        var split = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (all[..split], all[(split + 4)..]);
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, n);
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            var s = text.ToString();
            var end = s.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && (s.EndsWith("\r\n\r\nok", StringComparison.Ordinal) || s.EndsWith("0\r\n\r\n", StringComparison.Ordinal)))
            {
                return s;
            }
        }
    }

    /// <summary>Waits (at most 30 s, then fails) for the server to notice a closed connection.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "The server did not release the slot of a closed connection.");
    }
}
