namespace Agora.Node.Wallets;

/// <summary>Reads a 32-byte seed written as 64 hex characters (optionally 0x-prefixed) from a file, so it never appears on a command line.</summary>
public static class SeedFile
{
    public static byte[] Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new WalletException($"Seed file {path} does not exist.");
        }

        var text = File.ReadAllText(path).Trim();
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
