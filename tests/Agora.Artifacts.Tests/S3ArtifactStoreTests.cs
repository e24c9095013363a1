using Amazon.Runtime;
using Amazon.S3;

namespace Agora.Artifacts.Tests;

[Collection(S3rverCollection.Name)]
public sealed class S3ArtifactStoreTests : ArtifactStoreContract, IAsyncLifetime
{
    private readonly S3rverFixture _server;
    private readonly RecordingHttpClientFactory _recorder = new();
    private S3ArtifactStore? _store;

    public S3ArtifactStoreTests(S3rverFixture server)
    {
        _server = server;
    }

    protected override IArtifactStore Store => _store!;

    public async Task InitializeAsync()
    {
        var bucket = await _server.CreateBucketAsync();
        var config = S3ArtifactStore.CreateConfig(_server.Options);
        config.HttpClientFactory = _recorder;
        _store = new S3ArtifactStore(_server.CreateClient(config), bucket, "runs/test", ownsClient: true);
    }

    public Task DisposeAsync()
    {
        _store?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Get_over_the_cap_sends_only_a_head_request()
    {
        await _store!.PutAsync("big", new byte[5000]);
        _recorder.Requests.Clear();
        await Assert.ThrowsAsync<ArtifactTooLargeException>(() => _store.GetAsync("big", 4999));
        Assert.Equal(["HEAD"], _recorder.Requests.Select(r => r.Method.Method));
    }

    [Fact]
    public async Task Get_within_the_cap_asks_for_at_most_cap_plus_one_bytes()
    {
        await _store!.PutAsync("small", new byte[10]);
        _recorder.Requests.Clear();
        await _store.GetAsync("small", 64);
        var get = Assert.Single(_recorder.Requests, r => r.Method == HttpMethod.Get);
        Assert.Equal("bytes=0-64", get.Headers.Range?.ToString());
    }

    [Fact]
    public async Task Objects_live_under_the_store_prefix_in_the_bucket()
    {
        await _store!.PutAsync("w1/x", new byte[] { 1, 2, 3 });
        using var raw = _server.CreateClient();
        var listed = await raw.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = _store.Bucket });
        Assert.Equal(["runs/test/w1/x"], (listed.S3Objects ?? []).Select(o => o.Key));
    }

    [Fact]
    public async Task A_missing_bucket_is_reported_with_the_store_location()
    {
        using var store = new S3ArtifactStore("no-such-bucket-here", "", _server.Options);
        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.PutAsync("k", new byte[1]));
        Assert.Contains("s3://no-such-bucket-here/", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Builds the SDK's HTTP clients around a handler that remembers every request it sends.</summary>
    private sealed class RecordingHttpClientFactory : HttpClientFactory
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
            => new(new RecordingHandler(Requests) { InnerHandler = new HttpClientHandler() });

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }

    private sealed class RecordingHandler(List<HttpRequestMessage> requests) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (requests)
            {
                requests.Add(request);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
