using System.Net;
using Agora.Node.Dashboard;
using Agora.Node.Http;
using Agora.Node.Ledger;
using Microsoft.AspNetCore.Http;

namespace Agora.Node.Tests.Adversarial;

/// <summary>
/// A web page the operator visits must not drive the node's RPC or read the dashboard: DNS rebinding (a name the attacker
/// controls resolving to 127.0.0.1, so the browser sends Host: that name), a cross-site Origin, or a "simple" POST
/// (text/plain, which needs no CORS preflight) are each refused with a 4xx JSON error, and nothing is submitted.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class CrossSiteRpcTests
{
    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:9944")]
    [InlineData("localhost.evil.example")]
    [InlineData("192.0.2.7")]
    public async Task A_dns_rebinding_host_cannot_submit_a_transaction(string host)
    {
        await using var rig = await RpcRig.StartAsync();
        var (status, body) = await rig.PostAsync(RpcRig.SubmitBody(NodeFixtures.Transfer(RpcRig.Chain, 0, 5)), host: host);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(RpcException.Forbidden, RpcRig.ErrorCode(body));
        Assert.Equal(0, rig.Node.MempoolSize);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    [InlineData("http://localhost:1")]
    public async Task A_cross_site_origin_cannot_submit_a_transaction(string origin)
    {
        await using var rig = await RpcRig.StartAsync();
        var (status, body) = await rig.PostAsync(RpcRig.SubmitBody(NodeFixtures.Transfer(RpcRig.Chain, 0, 5)), origin: origin);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(RpcException.Forbidden, RpcRig.ErrorCode(body));
        Assert.Equal(0, rig.Node.MempoolSize);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json-seq")]
    public async Task A_simple_cross_site_post_content_type_cannot_submit_a_transaction(string contentType)
    {
        await using var rig = await RpcRig.StartAsync();
        var (status, body) = await rig.PostAsync(RpcRig.SubmitBody(NodeFixtures.Transfer(RpcRig.Chain, 0, 5)), contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal(RpcException.UnsupportedMediaType, RpcRig.ErrorCode(body));
        Assert.Equal(0, rig.Node.MempoolSize);
    }

    [Fact]
    public async Task Loopback_hosts_and_the_same_origin_are_still_served()
    {
        await using var rig = await RpcRig.StartAsync();
        var port = rig.Server.Endpoint.Port;
        var status = """{"jsonrpc":"2.0","id":1,"method":"get_status"}""";
        Assert.Equal(HttpStatusCode.OK, (await rig.PostAsync(status, host: $"localhost:{port}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await rig.PostAsync(status, host: $"127.0.0.1:{port}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await rig.PostAsync(status, origin: $"http://127.0.0.1:{port}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await rig.PostAsync(status, "application/json; charset=utf-8")).Status);
        var (code, body) = await rig.PostAsync(RpcRig.SubmitBody(NodeFixtures.Transfer(RpcRig.Chain, 0, 5)));
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Contains("pending", body);
        Assert.Equal(1, rig.Node.MempoolSize);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("192.0.2.7")]
    public async Task A_dns_rebinding_host_cannot_read_the_dashboard(string host)
    {
        await using var dashboard = await DashboardServer.StartAsync(() => null, 0, default);
        using var http = new HttpClient();
        foreach (var path in new[] { "", "api/state" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard.Endpoint, path));
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(RpcException.Forbidden, RpcRig.ErrorCode(await response.Content.ReadAsStringAsync()));
        }

        using var own = await http.GetAsync(new Uri(dashboard.Endpoint, "api/state"));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task A_cross_site_origin_cannot_read_the_dashboard_state()
    {
        await using var dashboard = await DashboardServer.StartAsync(() => null, 0, default);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard.Endpoint, "api/state"));
        request.Headers.TryAddWithoutValidation("Origin", "http://evil.example");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", "evil.example", false)]
    [InlineData("127.0.0.1", "192.0.2.7", false)]
    [InlineData("127.0.0.1", "[::1]:9944", true)]
    [InlineData("127.0.0.1", "LOCALHOST", true)]
    [InlineData("192.0.2.7", "192.0.2.7:9944", true)]
    [InlineData("192.0.2.7", "192.0.2.8:9944", false)]
    [InlineData("192.0.2.7", "evil.example", false)]
    [InlineData("0.0.0.0", "198.51.100.3:9944", true)]
    [InlineData("0.0.0.0", "evil.example:9944", false)]
    public void The_host_check_accepts_loopback_and_the_listen_address_only(string listen, string host, bool allowed)
    {
        using var guard = new HttpGuard(IPAddress.Parse(listen), HttpLimits.Default);
        Assert.Equal(allowed, guard.IsAllowedHost(HostString.FromUriComponent(host)));
    }
}
