using Agora.Artifacts;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Adversarial;

/// <summary>Collections keyed by what others choose (dropped transaction ids, committed store URIs) stay within their capacity.</summary>
[Trait("Category", "Adversarial")]
public sealed class UnboundedGrowthTests
{
    [Fact]
    public void A_bounded_cache_flooded_with_keys_keeps_its_capacity_and_the_most_recent_keys()
    {
        var cache = new BoundedCache<int, string>(100);
        for (var i = 0; i < 10_000; i++)
        {
            cache.Set(i, $"v{i}");
        }

        Assert.Equal(100, cache.Count);
        Assert.False(cache.ContainsKey(9_899));
        Assert.True(cache.TryGetValue(9_900, out var oldest));
        Assert.Equal("v9900", oldest);

        // Reading 9,900 made it the most recent, so the next key evicts 9,901 instead.
        cache.Set(-1, "new");
        Assert.True(cache.ContainsKey(9_900));
        Assert.False(cache.ContainsKey(9_901));
        Assert.True(cache.Remove(-1));
        Assert.Equal(99, cache.Count);
    }

    [Fact]
    public void Store_uris_committed_by_many_peers_do_not_grow_the_open_store_cache_past_its_capacity()
    {
        var root = Directory.CreateTempSubdirectory("agora-store-flood-").FullName;
        try
        {
            var peers = new PeerNetwork(null!, null!, null!, new PeerStorePolicy(root, null));
            var total = PeerNetwork.MaxOpenStores + 50;
            for (var i = 0; i < total; i++)
            {
                peers.Open($"file://{root}/peer{i}");
            }

            Assert.Equal(PeerNetwork.MaxOpenStores, peers.OpenStores);
            var again = peers.Open($"file://{root}/peer0");
            Assert.Equal(Path.Combine(root, "peer0"), Path.TrimEndingDirectorySeparator(new Uri(again.Location).LocalPath));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
