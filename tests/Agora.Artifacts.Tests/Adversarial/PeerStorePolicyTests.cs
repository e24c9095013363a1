using Agora.Artifacts;

namespace Agora.Artifacts.Tests.Adversarial;

/// <summary>Store URIs named by other neurons are hostile: only allowed schemes, only file stores below the operator's
/// root (symbolic links resolved), opened read-only, and never a directory created.</summary>
[Trait("Category", "Adversarial")]
public sealed class PeerStorePolicyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-policy-" + Guid.NewGuid().ToString("N"));
    private readonly string _root;
    private readonly string _outside;

    public PeerStorePolicyTests()
    {
        _root = Path.Combine(_dir, "stores");
        _outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
    }

    private PeerStorePolicy Policy => new(_root, s3: null);

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("http://example.com/a")]
    [InlineData("s3://bucket")]
    [InlineData("file:///proc/self/fd")]
    [InlineData("")]
    [InlineData("no-scheme")]
    public async Task Unsupported_scheme_s3_without_configuration_and_proc_are_refused_without_throwing(string uri)
    {
        Assert.False(Policy.TryOpen(uri, out var store, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
        await Assert.ThrowsAsync<ArtifactStoreRefusedException>(() => store.GetAsync("a", 10));
        await Assert.ThrowsAsync<ArtifactStoreRefusedException>(() => store.ListAsync());
    }

    [Fact]
    public void A_file_store_outside_the_root_is_refused()
    {
        Assert.False(Policy.TryOpen(new Uri(_outside).AbsoluteUri, out _, out var reason));
        Assert.Contains("outside", reason, StringComparison.Ordinal);
        Assert.False(Policy.TryOpen("file://" + _root + "/../outside", out _, out _));
    }

    [Fact]
    public void A_symlink_escaping_the_root_is_refused()
    {
        var link = Path.Combine(_root, "escape");
        Directory.CreateSymbolicLink(link, _outside);
        Assert.False(Policy.TryOpen(new Uri(link).AbsoluteUri, out _, out _));

        // A link in a middle component, and a chain of links, are followed too.
        Assert.False(Policy.TryOpen("file://" + link + "/sub", out _, out _));
        var chain = Path.Combine(_root, "chain");
        Directory.CreateSymbolicLink(chain, link);
        Assert.False(Policy.TryOpen(new Uri(chain).AbsoluteUri, out _, out _));
    }

    [Fact]
    public async Task A_symlinked_object_inside_an_allowed_store_that_points_out_of_the_root_is_not_read()
    {
        File.WriteAllText(Path.Combine(_outside, "secret"), "secret");
        var peer = Path.Combine(_root, "peer");
        Directory.CreateDirectory(peer);
        File.CreateSymbolicLink(Path.Combine(peer, "stolen"), Path.Combine(_outside, "secret"));
        Assert.True(Policy.TryOpen(new Uri(peer).AbsoluteUri, out var store, out _));
        await Assert.ThrowsAsync<ArtifactStoreException>(() => store.GetAsync("stolen", 100));
        Assert.DoesNotContain("stolen", await store.ListAsync());
    }

    [Fact]
    public async Task A_not_yet_existing_directory_is_never_created_and_reads_as_empty()
    {
        var missing = Path.Combine(_root, "nobody", "deeper");
        Assert.True(Policy.TryOpen(new Uri(missing).AbsoluteUri, out var store, out _));
        Assert.Empty(await store.ListAsync());
        Assert.False(await store.ExistsAsync("a"));
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.GetAsync("a", 10));
        await Assert.ThrowsAsync<ArtifactStoreException>(() => store.PutAsync("a", new byte[1]));
        Assert.False(Directory.Exists(Path.Combine(_root, "nobody")));
    }

    [Fact]
    public async Task A_peer_store_under_the_root_is_read_but_never_written()
    {
        var own = new FileArtifactStore(Path.Combine(_root, "peer"));
        await own.PutAsync("a/b", new byte[] { 1, 2, 3 });
        Assert.True(Policy.TryOpen(own.Location, out var store, out _));
        Assert.Equal(new byte[] { 1, 2, 3 }, await store.GetAsync("a/b", 10));
        await Assert.ThrowsAsync<ArtifactStoreException>(() => store.DeleteAsync("a/b"));
        Assert.True(await own.ExistsAsync("a/b"));
    }

    [Fact]
    public void The_default_policy_allows_the_folder_of_the_own_store_and_s3_only_with_credentials()
    {
        var own = new FileArtifactStore(Path.Combine(_root, "me"));
        var none = PeerStorePolicy.ForOwnStore(own, getEnvironment: _ => null);
        Assert.Equal(RealPath.Resolve(_root), none.FileRoot);
        Assert.Null(none.S3);
        var env = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "k", ["AWS_SECRET_ACCESS_KEY"] = "s" };
        Assert.NotNull(PeerStorePolicy.ForOwnStore(own, getEnvironment: n => env.GetValueOrDefault(n)).S3);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
