using Agora.Ledger.Primitives;
using Agora.Node.Wallets;

namespace Agora.Node.Tests.Adversarial;

/// <summary>
/// A wallet pointed at a node of another chain (a look-alike devnet with the same chain id, a node swapped under the
/// same URL) would sign transactions valid there. Wallets pin the genesis hash they first sign for and refuse any
/// other unless told to move (--allow-new-chain).
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class WalletChainPinTests : IDisposable
{
    private static readonly Hash256 Home = Hash256.Of("home genesis"u8.ToArray());
    private static readonly Hash256 LookAlike = Hash256.Of("look-alike genesis"u8.ToArray());
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-chain-pin-").FullName;
    private readonly Keystore _keystore;

    public WalletChainPinTests() => _keystore = new Keystore(_dir);

    [Fact]
    public void The_first_signature_pins_the_chain_and_the_same_chain_passes_again()
    {
        Assert.Null(ChainPin.Read(_keystore, "alice"));
        ChainPin.Check(_keystore, "alice", "agora-devnet", Home, allowNewChain: false);
        Assert.Equal(("agora-devnet", Home), ChainPin.Read(_keystore, "alice"));
        ChainPin.Check(_keystore, "alice", "agora-devnet", Home, allowNewChain: false);
        Assert.StartsWith(_dir, ChainPin.PathOf(_keystore, "alice"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_of_another_genesis_with_the_same_chain_id_is_refused_with_a_clear_error()
    {
        ChainPin.Check(_keystore, "alice", "agora-devnet", Home, allowNewChain: false);
        var e = Assert.Throws<WalletException>(() => ChainPin.Check(_keystore, "alice", "agora-devnet", LookAlike, allowNewChain: false));
        Assert.Contains(Home.ToHex(), e.Message);
        Assert.Contains(LookAlike.ToHex(), e.Message);
        Assert.Contains("--allow-new-chain", e.Message);
        Assert.Equal(("agora-devnet", Home), ChainPin.Read(_keystore, "alice"));
    }

    [Fact]
    public void Allowing_a_new_chain_re_pins_the_wallet_and_the_old_chain_is_then_refused()
    {
        ChainPin.Check(_keystore, "alice", "agora-devnet", Home, allowNewChain: false);
        ChainPin.Check(_keystore, "alice", "agora-devnet", LookAlike, allowNewChain: true);
        Assert.Equal(("agora-devnet", LookAlike), ChainPin.Read(_keystore, "alice"));
        Assert.Throws<WalletException>(() => ChainPin.Check(_keystore, "alice", "agora-devnet", Home, allowNewChain: false));
    }

    [Fact]
    public void Pins_are_per_wallet()
    {
        ChainPin.Check(_keystore, "alice", "agora-devnet", Home, allowNewChain: false);
        ChainPin.Check(_keystore, "bob", "agora-devnet", LookAlike, allowNewChain: false);
        Assert.Equal(("agora-devnet", LookAlike), ChainPin.Read(_keystore, "bob"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"chain_id\": \"x\"}")]
    [InlineData("{\"chain_id\": \"x\", \"genesis_hash\": \"abcd\"}")]
    public void A_damaged_pin_file_is_a_clear_error_not_a_crash_and_not_a_silent_re_pin(string content)
    {
        var path = ChainPin.PathOf(_keystore, "alice");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        var e = Assert.Throws<WalletException>(() => ChainPin.Check(_keystore, "alice", "agora-devnet", Home, allowNewChain: false));
        Assert.Contains("damaged", e.Message);
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
