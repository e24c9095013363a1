using System.Text;
using System.Text.Json.Nodes;
using Agora.Core.Addresses;
using Agora.Core.Crypto;
using Agora.Node.Wallets;

namespace Agora.Node.Tests;

public sealed class KeystoreTests : IDisposable
{
    // Cheap scrypt so the suite stays fast; production cost is checked separately.
    private static readonly ScryptParameters TestKdf = ScryptParameters.ForTests(1 << 10);

    private readonly string _dir = Directory.CreateTempSubdirectory("agora-wallets-").FullName;
    private readonly Keystore _keystore;

    public KeystoreTests()
    {
        _keystore = new Keystore(_dir, TestKdf);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Seed(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    [Fact]
    public void Created_wallet_unlocks_to_the_keys_it_lists()
    {
        var info = _keystore.Create("alice", "pw", "miner");
        var cold = _keystore.UnlockColdkey("alice", "pw");
        var hot = _keystore.UnlockHotkey("alice", "miner", "pw");
        Assert.Equal(Ss58Address.Encode(cold.PublicKey), info.Coldkey.Address);
        Assert.Equal(Ss58Address.Encode(hot.PublicKey), Assert.Single(info.Hotkeys).Address);
        Assert.NotEqual(info.Coldkey.Address, info.Hotkeys[0].Address);
        var shown = _keystore.Show("alice");
        Assert.Equal(info.Coldkey, shown.Coldkey);
        Assert.Equal(info.Hotkeys, shown.Hotkeys);
    }

    [Fact]
    public void Imported_seed_round_trips_and_never_appears_in_the_file()
    {
        var seed = Seed(7);
        var info = _keystore.Import("bob", "secret", seed, [("default", Seed(9))]);
        Assert.Equal(Ss58Address.Encode(Ed25519KeyPair.FromSeed(seed).PublicKey), info.Coldkey.Address);
        Assert.Equal(seed, _keystore.UnlockColdkey("bob", "secret").ExportSeed());

        var text = File.ReadAllText(info.Path);
        Assert.DoesNotContain(Convert.ToHexStringLower(seed), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexStringLower(Seed(9)), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains(info.Coldkey.Address, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_password_is_a_clear_error_that_reveals_nothing()
    {
        _keystore.Import("carol", "right", Seed(1), [("default", Seed(2))]);
        var e = Assert.Throws<WrongPasswordException>(() => _keystore.UnlockColdkey("carol", "wrong"));
        Assert.Contains("Wrong password for wallet 'carol'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("right", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0101", e.Message, StringComparison.Ordinal);
        Assert.Throws<WrongPasswordException>(() => _keystore.UnlockHotkey("carol", "default", "wrong"));
    }

    [Fact]
    public void Creating_an_existing_wallet_fails_and_keeps_the_old_file()
    {
        var first = _keystore.Import("dave", "pw", Seed(3), []);
        var before = File.ReadAllBytes(first.Path);
        var e = Assert.Throws<WalletException>(() => _keystore.Create("dave", "pw"));
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(first.Path));
    }

    [Fact]
    public void Add_hotkey_requires_the_wallet_password_and_changes_nothing_on_failure()
    {
        var info = _keystore.Import("erin", "pw", Seed(4), [("default", Seed(5))]);
        var before = File.ReadAllBytes(info.Path);
        Assert.Throws<WrongPasswordException>(() => _keystore.AddHotkey("erin", "validator", "nope"));
        Assert.Equal(before, File.ReadAllBytes(info.Path));

        var updated = _keystore.AddHotkey("erin", "validator", "pw", Seed(6));
        Assert.Equal(["default", "validator"], updated.Hotkeys.Select(h => h.Name));
        Assert.Equal(Seed(6), _keystore.UnlockHotkey("erin", "validator", "pw").ExportSeed());
        Assert.Throws<WalletException>(() => _keystore.AddHotkey("erin", "validator", "pw"));
    }

    [Fact]
    public void A_sealed_seed_moved_to_another_slot_does_not_open()
    {
        var info = _keystore.Import("frank", "pw", Seed(10), [("default", Seed(11))]);
        var json = JsonNode.Parse(File.ReadAllText(info.Path))!;
        json["coldkey"]!["sealed"] = json["hotkeys"]![0]!["sealed"]!.DeepClone();
        File.WriteAllText(info.Path, json.ToJsonString());
        Assert.Throws<WrongPasswordException>(() => _keystore.UnlockColdkey("frank", "pw"));
    }

    [Fact]
    public void An_altered_ciphertext_does_not_open()
    {
        var info = _keystore.Import("gina", "pw", Seed(12), []);
        var json = JsonNode.Parse(File.ReadAllText(info.Path))!;
        var ciphertext = json["coldkey"]!["sealed"]!["ciphertext"]!.GetValue<string>();
        json["coldkey"]!["sealed"]!["ciphertext"] = (ciphertext[0] == '0' ? "1" : "0") + ciphertext[1..];
        File.WriteAllText(info.Path, json.ToJsonString());
        Assert.Throws<WrongPasswordException>(() => _keystore.UnlockColdkey("gina", "pw"));
    }

    [Theory]
    [InlineData("version", "2", "version 2 is not supported")]
    [InlineData("format", "\"other\"", "format is 'other'")]
    [InlineData("address", "\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"", "does not match public key")]
    [InlineData("n", "1000", "must be a power of two")]
    [InlineData("n", "1073741824", "must be a power of two between 2 and")]
    public void A_corrupt_or_foreign_file_is_rejected_naming_the_field(string field, string value, string expected)
    {
        var info = _keystore.Import("hank", "pw", Seed(13), []);
        var json = JsonNode.Parse(File.ReadAllText(info.Path))!.AsObject();
        var target = field switch
        {
            "address" => json["coldkey"]!.AsObject(),
            "n" => json["coldkey"]!["sealed"]!.AsObject(),
            _ => json,
        };
        target[field] = JsonNode.Parse(value);
        File.WriteAllText(info.Path, json.ToJsonString());
        var e = Assert.Throws<WalletException>(() => _keystore.Show("hank"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_json_is_named_in_the_error()
    {
        File.WriteAllText(Path.Combine(_dir, "junk.json"), "{ not json");
        var e = Assert.Throws<WalletException>(() => _keystore.List());
        Assert.Contains("junk.json is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("")]
    [InlineData("-flag")]
    [InlineData("a b")]
    public void Invalid_wallet_names_are_rejected_before_touching_disk(string name)
    {
        Assert.Throws<WalletException>(() => _keystore.Create(name, "pw"));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void Empty_password_is_rejected()
        => Assert.Contains("password is empty", Assert.Throws<WalletException>(() => _keystore.Create("ivy", "")).Message, StringComparison.Ordinal);

    [Fact]
    public void List_returns_wallets_by_name_and_ignores_other_files()
    {
        _keystore.Import("zed", "pw", Seed(20), []);
        _keystore.Import("amy", "pw", Seed(21), []);
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "x");
        Assert.Equal(["amy", "zed"], _keystore.List().Select(w => w.Name));
    }

    [Fact]
    public void Wallet_files_are_readable_by_their_owner_only()
    {
        var info = _keystore.Create("jay", "pw");
        Assert.False(OperatingSystem.IsWindows(), "This check needs POSIX file modes.");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(info.Path));
        }
    }

    [Fact]
    public void Production_scrypt_cost_is_n_2_17_r_8_p_1_and_is_what_files_record()
    {
        Assert.Equal(new ScryptParameters(131072, 8, 1), ScryptParameters.Production);
        var sealedSeed = SealedSeed.Seal(Seed(30), "pw", ScryptParameters.Production, Encoding.UTF8.GetBytes("ad"));
        var wallet = new Wallet("kim", new WalletKey(Wallet.ColdkeyRole, Ed25519KeyPair.FromSeed(Seed(30)).PublicKey, sealedSeed), []);
        var json = JsonNode.Parse(WalletFileFormat.Write(wallet))!;
        Assert.Equal(131072, json["coldkey"]!["sealed"]!["n"]!.GetValue<int>());
    }
}
