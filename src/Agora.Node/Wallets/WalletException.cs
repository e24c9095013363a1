namespace Agora.Node.Wallets;

/// <summary>A keystore failure (missing wallet, wrong password, corrupt file); messages never contain secrets.</summary>
public class WalletException : Exception
{
    public WalletException(string message) : base(message) { }

    public WalletException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The password did not decrypt the key (or the ciphertext was altered; AES-GCM cannot tell the two apart).</summary>
public sealed class WrongPasswordException(string wallet, string key)
    : WalletException($"Wrong password for wallet '{wallet}' ({key}), or its file was altered: the key could not be decrypted.");
