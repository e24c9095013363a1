namespace Agora.Node.Wallets;

/// <summary>Wallet and hotkey names become file names and CLI arguments: 1-64 of A-Z a-z 0-9 _ -, not starting with '-'.</summary>
public static class WalletName
{
    public const int MaxLength = 64;

    public static void Validate(string name) => Check(name, "wallet");

    public static void ValidateHotkey(string name)
    {
        Check(name, "hotkey");
        if (name == Wallet.ColdkeyRole)
        {
            throw new WalletException($"'{Wallet.ColdkeyRole}' is reserved and cannot name a hotkey.");
        }
    }

    private static void Check(string name, string what)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            throw new WalletException($"A {what} name must be 1 to {MaxLength} characters; got '{name}'.");
        }

        if (name[0] == '-' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new WalletException($"Invalid {what} name '{name}': use letters, digits, '_' and '-' (not starting with '-').");
        }
    }
}
