using Agora.Core.Addresses;

namespace Agora.Node.Wallets;

/// <summary>One key of a wallet: its public key in clear and its seed sealed under the wallet password.</summary>
public sealed record WalletKey(string Name, byte[] PublicKey, SealedSeed Sealed)
{
    public string Address => Ss58Address.Encode(PublicKey);

    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey);
}

/// <summary>A wallet: one coldkey (holds funds, owns hotkeys) and any number of named hotkeys, all under one password.</summary>
public sealed record Wallet(string Name, WalletKey Coldkey, IReadOnlyList<WalletKey> Hotkeys)
{
    public const string ColdkeyRole = "coldkey";

    public WalletInfo ToInfo(string path) => new(
        Name,
        path,
        new WalletKeyInfo(ColdkeyRole, Coldkey.Address, Coldkey.PublicKeyHex),
        Hotkeys.Select(h => new WalletKeyInfo(h.Name, h.Address, h.PublicKeyHex)).ToArray());
}

/// <summary>What may be shown about a key: never the seed.</summary>
public sealed record WalletKeyInfo(string Name, string Address, string PublicKeyHex);

/// <summary>What may be shown about a wallet: names, addresses and public keys.</summary>
public sealed record WalletInfo(string Name, string Path, WalletKeyInfo Coldkey, IReadOnlyList<WalletKeyInfo> Hotkeys);
