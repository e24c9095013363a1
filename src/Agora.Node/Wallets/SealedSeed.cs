using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace Agora.Node.Wallets;

/// <summary>
/// An Ed25519 seed encrypted with a password: key = scrypt(password, salt), AES-256-GCM over the seed with
/// the wallet format, key role and public key as associated data, so a ciphertext moved to another slot fails to open.
/// </summary>
public sealed record SealedSeed(ScryptParameters Kdf, byte[] Salt, byte[] Nonce, byte[] Ciphertext, byte[] Tag)
{
    public const int SaltSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int SeedSize = 32;

    public static SealedSeed Seal(ReadOnlySpan<byte> seed, string password, ScryptParameters kdf, ReadOnlySpan<byte> associatedData)
    {
        if (seed.Length != SeedSize)
        {
            throw new WalletException($"A seed is {SeedSize} bytes, got {seed.Length}.");
        }

        kdf.ValidateForNewKeys();
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var key = DeriveKey(password, salt, kdf);
        try
        {
            var ciphertext = new byte[seed.Length];
            var tag = new byte[TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(nonce, seed, ciphertext, tag, associatedData);
            return new SealedSeed(kdf, salt, nonce, ciphertext, tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Returns the seed, or null when the password is wrong or the data was altered.</summary>
    public byte[]? TryOpen(string password, ReadOnlySpan<byte> associatedData)
    {
        Kdf.Validate();
        if (Salt.Length != SaltSize || Nonce.Length != NonceSize || Tag.Length != TagSize || Ciphertext.Length != SeedSize)
        {
            throw new WalletException($"Encrypted key has the wrong field sizes (salt {Salt.Length}, nonce {Nonce.Length}, tag {Tag.Length}, ciphertext {Ciphertext.Length}).");
        }

        var key = DeriveKey(password, Salt, Kdf);
        var seed = new byte[SeedSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(Nonce, Ciphertext, Tag, seed, associatedData);
            return seed;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] DeriveKey(string password, byte[] salt, ScryptParameters kdf)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return SCrypt.Generate(passwordBytes, salt, kdf.N, kdf.R, kdf.P, 32);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }
}
