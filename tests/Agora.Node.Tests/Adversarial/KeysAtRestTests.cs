using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Agora.Core.Crypto;
using Agora.Node.Devnet;
using Agora.Node.Wallets;

namespace Agora.Node.Tests.Adversarial;

/// <summary>A wallet file is hostile input: its scrypt parameters are bounded before anything is derived.</summary>
[Trait("Category", "Adversarial")]
public sealed class HostileScryptParameterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-hostile-kdf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Each was accepted before (N <= 2^20, r <= 32, p <= 16 each on its own): 1 GiB, 1 GiB, 16x and 32x production work.
    [Theory]
    [InlineData(1 << 20, 8, 1, "needs 1024 MiB")]
    [InlineData(1 << 18, 32, 1, "needs 1024 MiB")]
    [InlineData(1 << 17, 8, 16, "units of work")]
    [InlineData(1 << 15, 32, 16, "units of work")]
    public void A_wallet_file_demanding_huge_scrypt_memory_or_work_is_refused_before_deriving(int n, int r, int p, string reason)
    {
        var keystore = new Keystore(_dir, ScryptParameters.ForTests(1 << 10));
        var info = keystore.Import("mallory", "pw", Enumerable.Repeat((byte)7, 32).ToArray(), []);
        var json = JsonNode.Parse(File.ReadAllText(info.Path))!.AsObject();
        var kdf = json["coldkey"]!["sealed"]!.AsObject();
        kdf["n"] = n;
        kdf["r"] = r;
        kdf["p"] = p;
        File.WriteAllText(info.Path, json.ToJsonString());

        // Reading the file refuses it (nothing is derived to get there) ...
        var shown = Assert.Throws<WalletException>(() => keystore.Show("mallory"));
        Assert.Contains(reason, shown.Message, StringComparison.Ordinal);
        Assert.Contains(info.Path, shown.Message, StringComparison.Ordinal);

        // ... and so does unlocking, and a sealed seed built in memory with those parameters.
        Assert.Throws<WalletException>(() => keystore.UnlockColdkey("mallory", "pw"));
        var hostile = new SealedSeed(new ScryptParameters(n, r, p), new byte[SealedSeed.SaltSize], new byte[SealedSeed.NonceSize], new byte[SealedSeed.SeedSize], new byte[SealedSeed.TagSize]);
        Assert.Contains(reason, Assert.Throws<WalletException>(() => hostile.TryOpen("pw", [])).Message, StringComparison.Ordinal);
    }
}

/// <summary>New keys get at least N = 2^17; only the devnet's own wallets (and unit tests) may go lower, by name.</summary>
[Trait("Category", "Adversarial")]
public sealed class WeakScryptForNewKeysTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-weak-kdf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Offline_guessing_is_slowed_new_wallets_are_sealed_with_n_2_17()
    {
        Assert.Equal(new ScryptParameters(1 << 17, 8, 1), ScryptParameters.Production);
        var info = new Keystore(_dir).Import("olga", "pw", Enumerable.Repeat((byte)3, 32).ToArray(), []);
        var json = JsonNode.Parse(File.ReadAllText(info.Path))!;
        Assert.Equal(1 << 17, json["coldkey"]!["sealed"]!["n"]!.GetValue<int>());
        Assert.Equal(8, json["coldkey"]!["sealed"]!["r"]!.GetValue<int>());
        Assert.Equal(1, json["coldkey"]!["sealed"]!["p"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(1 << 15)]
    [InlineData(1 << 10)]
    public void Offline_guessing_is_slowed_weak_parameters_cannot_seal_new_keys(int n)
    {
        var weak = new ScryptParameters(n, 8, 1);
        Assert.Contains("too weak for a new wallet key", Assert.Throws<WalletException>(() => new Keystore(_dir, weak)).Message, StringComparison.Ordinal);
        Assert.Throws<WalletException>(() => SealedSeed.Seal(new byte[32], "pw", weak, Encoding.UTF8.GetBytes("ad")));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void A_wallet_sealed_with_a_smaller_n_before_still_opens_with_the_default_keystore()
    {
        var old = new Keystore(_dir, ScryptParameters.ForTests(1 << 15));
        var seed = Enumerable.Repeat((byte)9, 32).ToArray();
        old.Import("legacy", "pw", seed, []);
        var pair = new Keystore(_dir).UnlockColdkey("legacy", "pw");
        Assert.Equal(Ed25519KeyPair.FromSeed(seed).PublicKey, pair.PublicKey);
    }

    [Fact]
    public void The_devnet_exception_is_named_and_only_the_devnet_keystore_uses_it()
    {
        Assert.Equal("devnet", ScryptParameters.Devnet.BelowNewKeyFloorFor);
        Assert.True(ScryptParameters.Devnet.N < ScryptParameters.MinimumNewKeyN);
        Assert.Null(ScryptParameters.Production.BelowNewKeyFloorFor);
        Assert.Null(new ScryptParameters(ScryptParameters.Devnet.N, 8, 1).BelowNewKeyFloorFor);
    }
}

/// <summary>The devnet's wallet password: a 0600 file, handed to children as --password-file, never in their environment.</summary>
[Trait("Category", "Adversarial")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DevnetPasswordExposureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-devnet-pw-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DevnetSupervisor Supervisor() => new(new DevnetOptions { DataDirectory = Path.Combine(_dir, "devnet"), AgoraAssembly = "agora.dll" }, TextWriter.Null);

    [Fact]
    public void Other_users_cannot_read_the_devnet_password_file_it_is_created_0600()
    {
        var supervisor = Supervisor();
        Directory.CreateDirectory(supervisor.Root);
        var password = supervisor.LoadOrCreatePassword();
        Assert.Equal(32, password.Length);
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(supervisor.PasswordFilePath));
        Assert.Equal(password, supervisor.LoadOrCreatePassword());
        Assert.Empty(Directory.GetFiles(supervisor.Root, "*.tmp"));
    }

    [Fact]
    public void Other_users_cannot_read_the_devnet_password_file_one_left_0644_is_narrowed()
    {
        var supervisor = Supervisor();
        Directory.CreateDirectory(supervisor.Root);
        File.WriteAllText(supervisor.PasswordFilePath, "0123456789abcdef");
        File.SetUnixFileMode(supervisor.PasswordFilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal("0123456789abcdef", supervisor.LoadOrCreatePassword());
        Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(supervisor.PasswordFilePath));
    }

    [Fact]
    public void Children_environment_leaks_no_password_they_get_a_password_file()
    {
        var previous = Environment.GetEnvironmentVariable(PasswordSource.EnvironmentVariable);
        Environment.SetEnvironmentVariable(PasswordSource.EnvironmentVariable, "inherited-secret");
        try
        {
            var supervisor = Supervisor();
            supervisor.NodeEndpoint = new Uri("http://127.0.0.1:1/");
            var args = supervisor.RoleArgs("miner", "miner0", Path.Combine(_dir, "tokens.bin"));
            var at = Array.IndexOf(args, "--password-file");
            Assert.True(at >= 0, string.Join(' ', args));
            Assert.Equal(supervisor.PasswordFilePath, args[at + 1]);

            var psi = supervisor.ChildStartInfo(new Dictionary<string, string> { [Keystore.DirectoryEnvironmentVariable] = "w" }, args);
            Assert.False(psi.Environment.ContainsKey(PasswordSource.EnvironmentVariable), "a child inherited AGORA_PASSWORD");
            Assert.DoesNotContain("inherited-secret", psi.ArgumentList);
            Assert.Equal("w", psi.Environment[Keystore.DirectoryEnvironmentVariable]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(PasswordSource.EnvironmentVariable, previous);
        }
    }

    [Fact]
    public async Task Children_environment_leaks_no_password_roles_read_it_from_password_file()
    {
        var wallets = Path.Combine(_dir, "wallets");
        new Keystore(wallets, ScryptParameters.ForTests(1 << 10)).Create("w", "right");
        var passwordFile = Path.Combine(_dir, "pw");
        File.WriteAllText(passwordFile, "wrong\n");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "agora.dll"), "miner", "--wallet", "w", "--password-file", passwordFile, "--store", new Uri(Path.Combine(_dir, "store")).AbsoluteUri })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove(PasswordSource.EnvironmentVariable);
        start.Environment[Keystore.DirectoryEnvironmentVariable] = wallets;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);

        // The file's password was the one tried: the wallet refuses it.
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Wrong password for wallet 'w'", await stderr, StringComparison.Ordinal);
    }
}

/// <summary>Password and seed files are read bounded: a huge file or an endless device is refused, not slurped.</summary>
[Trait("Category", "Adversarial")]
public sealed class OversizedSecretFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agora-secret-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Memory_exhaustion_a_password_file_over_64_KiB_is_refused()
    {
        var path = Path.Combine(_dir, "pw");
        File.WriteAllText(path, "pw\n" + new string('x', PasswordSource.MaxPasswordFileBytes));
        var source = new PasswordSource(_ => null, new StringReader(""), TextWriter.Null, interactive: false);
        var e = Assert.Throws<WalletException>(() => source.Get(path, "test"));
        Assert.Contains($"longer than {PasswordSource.MaxPasswordFileBytes} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_exhaustion_an_endless_device_as_password_file_is_refused()
    {
        Assert.False(OperatingSystem.IsWindows(), "This check needs /dev/zero.");
        var source = new PasswordSource(_ => null, new StringReader(""), TextWriter.Null, interactive: false);
        Assert.Contains("longer than", Assert.Throws<WalletException>(() => source.Get("/dev/zero", "test")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_exhaustion_a_seed_file_of_a_megabyte_is_refused_unread()
    {
        var path = Path.Combine(_dir, "seed.hex");
        File.WriteAllText(path, new string('a', 1 << 20));
        var e = Assert.Throws<WalletException>(() => SeedFile.Read(path));
        Assert.Contains($"longer than {SeedFile.MaxBytes} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_normal_seed_file_and_password_file_still_read()
    {
        var seedPath = Path.Combine(_dir, "seed.hex");
        File.WriteAllText(seedPath, "0x" + new string('a', 64) + "\n");
        Assert.Equal(Enumerable.Repeat((byte)0xaa, 32), SeedFile.Read(seedPath));
        var pwPath = Path.Combine(_dir, "pw");
        File.WriteAllText(pwPath, "hunter2\r\nsecond line\n");
        Assert.Equal("hunter2", PasswordSource.ReadPasswordFile(pwPath));
    }
}
