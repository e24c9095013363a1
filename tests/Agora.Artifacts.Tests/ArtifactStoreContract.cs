using System.Text;
using Agora.Core.Crypto;

namespace Agora.Artifacts.Tests;

/// <summary>The behaviour every store must share; each store's test class runs it against a fresh, empty store.</summary>
public abstract class ArtifactStoreContract
{
    protected abstract IArtifactStore Store { get; }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Put_then_get_returns_the_same_bytes()
    {
        var data = new byte[100_000];
        new Random(7).NextBytes(data);
        await Store.PutAsync("round/trip.bin", data);
        Assert.Equal(data, await Store.GetAsync("round/trip.bin", data.Length));
    }

    [Fact]
    public async Task Put_of_an_empty_object_round_trips()
    {
        await Store.PutAsync("empty", Array.Empty<byte>());
        Assert.Empty(await Store.GetAsync("empty", 0, Blake2b.Hash256([])));
    }

    [Fact]
    public async Task Put_replaces_an_existing_object()
    {
        await Store.PutAsync("k", Bytes("first version"));
        await Store.PutAsync("k", Bytes("second"));
        Assert.Equal(Bytes("second"), await Store.GetAsync("k", 100));
    }

    [Fact]
    public async Task Get_refuses_an_object_larger_than_the_cap()
    {
        await Store.PutAsync("big", new byte[1001]);
        var e = await Assert.ThrowsAsync<ArtifactTooLargeException>(() => Store.GetAsync("big", 1000));
        Assert.Equal(1001, e.Size);
        Assert.Contains("over the cap of 1000 bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(1001, (await Store.GetAsync("big", 1001)).Length);
    }

    [Fact]
    public async Task Get_verifies_the_expected_digest()
    {
        var data = Bytes("payload");
        await Store.PutAsync("d", data);
        Assert.Equal(data, await Store.GetAsync("d", 100, Blake2b.Hash256(data)));
        var wrong = Blake2b.Hash256(Bytes("other"));
        var e = await Assert.ThrowsAsync<ArtifactDigestMismatchException>(() => Store.GetAsync("d", 100, wrong));
        Assert.Equal(Convert.ToHexStringLower(wrong), e.ExpectedHex);
        Assert.Equal(ContentAddress.DigestHex(data), e.ActualHex);
    }

    [Fact]
    public async Task Get_rejects_an_expected_digest_of_the_wrong_length()
        => await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync("d", 100, new byte[31]));

    [Fact]
    public async Task Get_of_a_missing_key_says_it_does_not_exist()
    {
        var e = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => Store.GetAsync("nope/missing", 10));
        Assert.Contains("'nope/missing' does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exists_reports_presence_and_delete_removes()
    {
        Assert.False(await Store.ExistsAsync("a/b"));
        await Store.PutAsync("a/b", Bytes("x"));
        Assert.True(await Store.ExistsAsync("a/b"));
        await Store.DeleteAsync("a/b");
        Assert.False(await Store.ExistsAsync("a/b"));
        await Store.DeleteAsync("a/b");
    }

    [Fact]
    public async Task List_returns_keys_with_the_prefix_in_ordinal_order()
    {
        foreach (var key in new[] { "w2/uid-3", "w1/uid-10", "w1/uid-2", "w10/uid-1", "other" })
        {
            await Store.PutAsync(key, Bytes(key));
        }

        Assert.Equal(["w1/uid-10", "w1/uid-2"], await Store.ListAsync("w1/"));
        Assert.Equal(["w1/uid-10", "w1/uid-2", "w10/uid-1"], await Store.ListAsync("w1"));
        Assert.Equal(["other", "w1/uid-10", "w1/uid-2", "w10/uid-1", "w2/uid-3"], await Store.ListAsync());
        Assert.Empty(await Store.ListAsync("zzz"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("trailing/")]
    [InlineData(".hidden")]
    [InlineData("a/./b")]
    [InlineData("back\\slash")]
    [InlineData("sp ace")]
    [InlineData("")]
    public async Task Every_operation_rejects_an_invalid_key(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key, 10));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key));
        Assert.Empty(await Store.ListAsync());
    }

    [Fact]
    public async Task Content_addressed_put_uses_the_digest_as_key_and_get_verifies_it()
    {
        var data = Bytes("content addressed");
        var key = await ContentAddress.PutAsync(Store, data, "updates/");
        Assert.Equal("updates/" + Convert.ToHexStringLower(Blake2b.Hash256(data)), key);
        Assert.Equal(data, await ContentAddress.GetAsync(Store, key, 1000));

        // An object stored under someone else's digest is caught on read.
        var forged = "updates/" + ContentAddress.DigestHex(Bytes("honest"));
        await Store.PutAsync(forged, Bytes("forged"));
        await Assert.ThrowsAsync<ArtifactDigestMismatchException>(() => ContentAddress.GetAsync(Store, forged, 1000));
    }
}
