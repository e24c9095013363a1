using System.Net;
using System.Net.Sockets;
using System.Text;
using Agora.Node.Ledger;

namespace Agora.Node.Tests.Adversarial;

/// <summary>
/// The client side: a node that accepts a connection and never answers, or streams an endless line, must not hang or
/// exhaust the role talking to it. Each test gives up after 60 s (a hang on the old code fails instead of blocking).
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class HostileNodeClientTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_node_that_never_answers_is_a_timeout_error_naming_the_call()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        var accepting = AcceptForeverAsync(silent, accepted, null);
        var endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        using var client = new LedgerClient(endpoint, TimeSpan.FromMilliseconds(300));

        var call = client.GetStatusAsync();
        Assert.Same(call, await Task.WhenAny(call, Task.Delay(HangGuard)));
        var e = await Assert.ThrowsAsync<LedgerTimeoutException>(() => call);
        Assert.IsAssignableFrom<HttpRequestException>(e);
        Assert.Contains("get_status", e.Message);
        Assert.Contains(endpoint.ToString(), e.Message);
        silent.Stop();
        accepted.ForEach(c => c.Dispose());
    }

    [Fact]
    public void Every_client_has_a_finite_timeout_by_default()
    {
        using var client = new LedgerClient(new Uri("http://127.0.0.1:9944/"));
        Assert.Equal(LedgerClient.DefaultTimeout, client.Timeout);
        Assert.True(client.Timeout > TimeSpan.Zero && client.Timeout < TimeSpan.FromMinutes(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LedgerClient(new Uri("http://127.0.0.1:9944/"), TimeSpan.Zero));
    }

    [Fact]
    public async Task A_block_stream_line_longer_than_the_cap_is_an_error_not_unbounded_memory()
    {
        using var hostile = new TcpListener(IPAddress.Loopback, 0);
        hostile.Start();
        var accepted = new List<TcpClient>();
        var serving = AcceptForeverAsync(hostile, accepted, async stream =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: "));
            var chunk = Encoding.ASCII.GetBytes(new string('a', 1 << 16));
            for (var sent = 0L; sent <= LedgerClient.MaxEventLineChars + chunk.Length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
            }

            await stream.WriteAsync("\n\n"u8.ToArray());
        });
        using var client = new LedgerClient(new Uri($"http://127.0.0.1:{((IPEndPoint)hostile.LocalEndpoint).Port}/"));
        using var cts = new CancellationTokenSource(HangGuard);
        var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in client.SubscribeBlocksAsync(1, cts.Token))
            {
            }
        });
        Assert.Contains($"{LedgerClient.MaxEventLineChars}", e.Message);
        hostile.Stop();
        accepted.ForEach(c => c.Dispose());
    }

    private static async Task AcceptForeverAsync(TcpListener listener, List<TcpClient> accepted, Func<NetworkStream, Task>? serve)
    {
        try
        {
            while (true)
            {
                var tcp = await listener.AcceptTcpClientAsync();
                accepted.Add(tcp);
                if (serve is not null)
                {
                    try
                    {
                        await serve(tcp.GetStream());
                    }
                    catch (IOException)
                    {
                        // The client gave up reading.
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
