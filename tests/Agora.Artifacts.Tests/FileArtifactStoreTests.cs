using System.Text;

namespace Agora.Artifacts.Tests;

public sealed class FileArtifactStoreTests : ArtifactStoreContract, IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("agora-artifacts-").FullName;
    private readonly FileArtifactStore _store;

    public FileArtifactStoreTests()
    {
        _store = new FileArtifactStore(Path.Combine(_parent, "store"));
    }

    protected override IArtifactStore Store => _store;

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public async Task Put_leaves_no_temp_file_behind_and_writes_under_the_root()
    {
        await _store.PutAsync("w/1", Encoding.UTF8.GetBytes("x"));
        var files = Directory.GetFiles(_store.Root, "*", SearchOption.AllDirectories);
        Assert.Equal([Path.Combine(_store.Root, "w", "1")], files);
    }

    [Fact]
    public async Task A_traversal_key_creates_nothing_outside_the_root()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync("../outside", Encoding.UTF8.GetBytes("x")));
        Assert.Equal([Path.Combine(_parent, "store")], Directory.GetFileSystemEntries(_parent));
    }

    [Fact]
    public async Task List_ignores_interrupted_temp_files()
    {
        await _store.PutAsync("kept", Encoding.UTF8.GetBytes("x"));
        await File.WriteAllTextAsync(Path.Combine(_store.Root, ".tmp-0123"), "half written");
        Assert.Equal(["kept"], await _store.ListAsync());
    }

    [Fact]
    public async Task Get_detects_a_file_corrupted_on_disk()
    {
        var data = Encoding.UTF8.GetBytes("good bytes");
        var key = await ContentAddress.PutAsync(_store, data);
        await File.WriteAllTextAsync(Path.Combine(_store.Root, key), "bad bytes!");
        await Assert.ThrowsAsync<ArtifactDigestMismatchException>(() => ContentAddress.GetAsync(_store, key, 100));
    }

    [Fact]
    public void Location_is_a_file_uri_of_the_root()
        => Assert.Equal(new Uri(_store.Root + "/").AbsoluteUri, _store.Location);
}
