using System.Security.Cryptography;
using Agora.Core.Crypto;

namespace Agora.Node.Wallets;

/// <summary>
/// A directory (mode 0700) of wallet files (<c>NAME.json</c>, mode 0600 from creation on). Files are replaced atomically
/// (temp, fsync, rename, directory fsync; see <see cref="PrivateFiles"/>). Every seed is sealed under the wallet password
/// with scrypt at <see cref="ScryptParameters.Production"/> cost or more (the devnet's own wallets excepted); opening
/// one checks that it re-derives the stored public key.
/// </summary>
public sealed class Keystore
{
    public const string DirectoryEnvironmentVariable = "AGORA_WALLET_DIR";

    private readonly ScryptParameters _kdf;

    public Keystore(string directory, ScryptParameters? kdf = null)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new WalletException("The wallet directory path is empty.");
        }

        Directory = Path.GetFullPath(directory);
        _kdf = kdf ?? ScryptParameters.Production;
        _kdf.ValidateForNewKeys();
    }

    public string Directory { get; }

    /// <summary>$AGORA_WALLET_DIR, else ~/.agora/wallets.</summary>
    public static string DefaultDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DirectoryEnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".agora", "wallets")
            : fromEnvironment;
    }

    public string PathOf(string name)
    {
        WalletName.Validate(name);
        return Path.Combine(Directory, name + ".json");
    }

    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Creates a wallet with a fresh coldkey and one fresh hotkey.</summary>
    public WalletInfo Create(string name, string password, string hotkeyName = "default")
    {
        var cold = RandomNumberGenerator.GetBytes(Ed25519KeyPair.SeedSize);
        var hot = RandomNumberGenerator.GetBytes(Ed25519KeyPair.SeedSize);
        try
        {
            return Import(name, password, cold, [(hotkeyName, hot)]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cold);
            CryptographicOperations.ZeroMemory(hot);
        }
    }

    /// <summary>Creates a wallet from existing seeds (e.g. restored from a backup).</summary>
    public WalletInfo Import(string name, string password, ReadOnlySpan<byte> coldkeySeed, IReadOnlyList<(string Name, byte[] Seed)> hotkeySeeds)
    {
        var path = PathOf(name);
        CheckPassword(password);
        if (File.Exists(path))
        {
            throw new WalletException($"Wallet '{name}' already exists at {path}; choose another name or delete that file first.");
        }

        var hotkeys = new List<WalletKey>();
        foreach (var (hotkeyName, seed) in hotkeySeeds)
        {
            WalletName.ValidateHotkey(hotkeyName);
            if (hotkeys.Any(h => h.Name == hotkeyName))
            {
                throw new WalletException($"Hotkey '{hotkeyName}' is given twice.");
            }

            hotkeys.Add(SealKey(hotkeyName, seed, password));
        }

        var wallet = new Wallet(name, SealKey(Wallet.ColdkeyRole, coldkeySeed, password), hotkeys);
        Save(wallet, path, createNew: true);
        return wallet.ToInfo(path);
    }

    /// <summary>Adds a hotkey (fresh unless <paramref name="seed"/> is given); the password must open the coldkey.</summary>
    public WalletInfo AddHotkey(string name, string hotkeyName, string password, byte[]? seed = null)
    {
        WalletName.ValidateHotkey(hotkeyName);
        var wallet = Load(name);
        if (wallet.Hotkeys.Any(h => h.Name == hotkeyName))
        {
            throw new WalletException($"Wallet '{name}' already has a hotkey named '{hotkeyName}'.");
        }

        // Proves the password before anything is written, so one wallet never mixes two passwords.
        _ = Open(wallet, wallet.Coldkey, password);
        var fresh = seed ?? RandomNumberGenerator.GetBytes(Ed25519KeyPair.SeedSize);
        var updated = wallet with { Hotkeys = [.. wallet.Hotkeys, SealKey(hotkeyName, fresh, password)] };
        if (seed is null)
        {
            CryptographicOperations.ZeroMemory(fresh);
        }

        var path = PathOf(name);
        Save(updated, path, createNew: false);
        return updated.ToInfo(path);
    }

    public WalletInfo Show(string name) => Load(name).ToInfo(PathOf(name));

    /// <summary>Every wallet in the directory, by name. A corrupt file is an error that names it.</summary>
    public IReadOnlyList<WalletInfo> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .Select(Show)
            .ToArray();
    }

    public Ed25519KeyPair UnlockColdkey(string name, string password)
    {
        var wallet = Load(name);
        return Open(wallet, wallet.Coldkey, password);
    }

    public Ed25519KeyPair UnlockHotkey(string name, string hotkeyName, string password)
    {
        var wallet = Load(name);
        var hotkey = wallet.Hotkeys.FirstOrDefault(h => h.Name == hotkeyName)
            ?? throw new WalletException($"Wallet '{name}' has no hotkey '{hotkeyName}' (it has: {string.Join(", ", wallet.Hotkeys.Select(h => h.Name))}).");
        return Open(wallet, hotkey, password);
    }

    public Wallet Load(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new WalletException($"No wallet named '{name}' in {Directory}; create one with `agora wallet create --name {name}`.");
        }

        var info = new FileInfo(path);
        if (info.Length > WalletFileFormat.MaxFileBytes)
        {
            throw new WalletException($"{path} is {info.Length} bytes; a wallet file is at most {WalletFileFormat.MaxFileBytes}.");
        }

        var wallet = WalletFileFormat.Read(File.ReadAllBytes(path), path);
        if (wallet.Name != name)
        {
            throw new WalletException($"{path} holds wallet '{wallet.Name}', not '{name}'; the file was renamed by hand.");
        }

        return wallet;
    }

    private static Ed25519KeyPair Open(Wallet wallet, WalletKey key, string password)
    {
        var seed = key.Sealed.TryOpen(password, WalletFileFormat.AssociatedData(key.Name, key.PublicKey))
            ?? throw new WrongPasswordException(wallet.Name, key.Name);
        try
        {
            var pair = Ed25519KeyPair.FromSeed(seed);
            if (!pair.PublicKey.AsSpan().SequenceEqual(key.PublicKey))
            {
                throw new WalletException($"Wallet '{wallet.Name}' {key.Name}: the decrypted seed does not produce the stored public key; the file is corrupt.");
            }

            return pair;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private WalletKey SealKey(string role, ReadOnlySpan<byte> seed, string password)
    {
        var publicKey = Ed25519KeyPair.FromSeed(seed).PublicKey;
        return new WalletKey(role, publicKey, SealedSeed.Seal(seed, password, _kdf, WalletFileFormat.AssociatedData(role, publicKey)));
    }

    private static void CheckPassword(string password)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new WalletException("The wallet password is empty; give one with --password-file, AGORA_PASSWORD or at the prompt.");
        }
    }

    private static void Save(Wallet wallet, string path, bool createNew)
    {
        try
        {
            // A new wallet is renamed into place without overwriting, so a concurrent create of the same name fails
            // instead of replacing the other's keys.
            PrivateFiles.WriteAtomically(path, WalletFileFormat.Write(wallet), overwrite: !createNew);
        }
        catch (IOException) when (createNew && File.Exists(path))
        {
            throw new WalletException($"Wallet '{wallet.Name}' already exists at {path}.");
        }
    }
}
