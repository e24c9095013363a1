namespace Agora.Node.Wallets;

/// <summary>Reads a 32-byte seed written as 64 hex characters (optionally 0x-prefixed) from a file, so it never appears on a command line.</summary>
public static class SeedFile
{
    /// <summary>64 hex characters, a 0x prefix and surrounding whitespace fit many times over; anything longer is refused unread.</summary>
    public const int MaxBytes = 4096;

    public static byte[] Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new WalletException($"Seed file {path} does not exist.");
        }

        var raw = PrivateFiles.ReadBounded(path, MaxBytes, "Seed file");
        var text = System.Text.Encoding.UTF8.GetString(raw).Trim();
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        if (text.Length != 64 || !text.All(char.IsAsciiHexDigit))
        {
            throw new WalletException($"Seed file {path} must hold exactly 64 hex characters (a 32-byte Ed25519 seed), optionally prefixed by 0x.");
        }

        return Convert.FromHexString(text);
    }
}
