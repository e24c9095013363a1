using System.Net;
using Agora.Node.Http;
using Agora.Node.Ledger;
using Agora.Node.Tests.Adversarial;

namespace Agora.Node.Tests;

/// <summary><c>agora node --listen HOST:PORT</c>: parsing, and a node on every interface still applying every check.</summary>
public sealed class NodeListenTests
{
    [Theory]
    [InlineData("127.0.0.1:9944", "127.0.0.1", 9944)]
    [InlineData("0.0.0.0:0", "0.0.0.0", 0)]
    [InlineData("[::1]:9944", "::1", 9944)]
    [InlineData("[::]:80", "::", 80)]
    [InlineData("localhost:9945", "127.0.0.1", 9945)]
    [InlineData(" 10.1.2.3:65535 ", "10.1.2.3", 65535)]
    public void Listen_addresses_parse(string text, string address, int port)
    {
        var endpoint = NodeHost.ParseListen(text);
        Assert.Equal((IPAddress.Parse(address), port), (endpoint.Address, endpoint.Port));
    }

    [Theory]
    [InlineData("9944")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("::1:9944")]
    [InlineData("example.com:9944")]
    [InlineData("127.1:9944")]
    [InlineData(":9944")]
    public void Malformed_listen_addresses_are_refused_with_a_message(string text)
    {
        var e = Assert.Throws<FormatException>(() => NodeHost.ParseListen(text));
        Assert.Contains("--listen", e.Message);
    }

    [Fact]
    public void A_listen_address_of_hostile_length_is_refused_without_echoing_it()
    {
        var e = Assert.Throws<FormatException>(() => NodeHost.ParseListen(new string('1', 100_000) + ":1"));
        Assert.True(e.Message.Length < 300);
    }

    [Fact]
    public async Task A_node_on_every_interface_accepts_address_hosts_refuses_names_and_keeps_its_limits()
    {
        var dir = Directory.CreateTempSubdirectory("agora-node-listen-").FullName;
        var genesis = GenesisFile.Parse(NodeFixtures.GenesisJson(RpcRig.Chain), "test genesis");
        using (var node = LedgerNode.Open(new NodeOptions { DataDirectory = dir, Port = 0 }, genesis))
        {
            await using var server = await RpcServer.StartAsync(node, new IPEndPoint(IPAddress.Any, 0), new HttpLimits { MaxStreamsPerClient = 1 });
            Assert.Equal("127.0.0.1", server.Endpoint.Host);
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, await StatusWithHost(http, server, "198.51.100.3:9944"));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusWithHost(http, server, "evil.example:9944"));

            using var first = await http.GetAsync(new Uri(server.Endpoint, "blocks"), HttpCompletionOption.ResponseHeadersRead);
            using var second = await http.GetAsync(new Uri(server.Endpoint, "blocks"), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (first.StatusCode, second.StatusCode));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    private static async Task<HttpStatusCode> StatusWithHost(HttpClient http, RpcServer server, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Endpoint, "health"));
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>Who counts as one client for the caps: an IPv4 address, or an IPv6 /64 (a host can rotate through its /64).</summary>
public sealed class HttpClientKeyTests
{
    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    public void Addresses_of_one_client_share_a_key(string a, string b, bool same)
        => Assert.Equal(same, HttpGuard.ClientKey(IPAddress.Parse(a)) == HttpGuard.ClientKey(IPAddress.Parse(b)));
}
