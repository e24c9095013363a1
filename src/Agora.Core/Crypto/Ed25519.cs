using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Agora.Core.Crypto;

/// <summary>Ed25519 (RFC 8032) keys and signatures. A key pair is fully determined by its 32-byte seed.</summary>
public sealed class Ed25519KeyPair
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    private readonly Ed25519PrivateKeyParameters _private;

    private Ed25519KeyPair(Ed25519PrivateKeyParameters privateKey)
    {
        _private = privateKey;
        PublicKey = privateKey.GeneratePublicKey().GetEncoded();
    }

    public byte[] PublicKey { get; }

    /// <summary>The secret seed. Callers that persist it must encrypt it.</summary>
    public byte[] ExportSeed() => _private.GetEncoded();

    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes, got {seed.Length}.", nameof(seed));
        }

        return new Ed25519KeyPair(new Ed25519PrivateKeyParameters(seed.ToArray(), 0));
    }

    public static Ed25519KeyPair Generate() => FromSeed(RandomNumberGenerator.GetBytes(SeedSize));

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _private);
        signer.BlockUpdate(message.ToArray(), 0, message.Length);
        return signer.GenerateSignature();
    }
}

public static class Ed25519
{
    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="message"/> by <paramref name="publicKey"/>.
    /// Malformed keys or signatures verify as false rather than throwing.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != Ed25519KeyPair.PublicKeySize || signature.Length != Ed25519KeyPair.SignatureSize)
        {
            return false;
        }

        try
        {
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(publicKey.ToArray(), 0));
            verifier.BlockUpdate(message.ToArray(), 0, message.Length);
            return verifier.VerifySignature(signature.ToArray());
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
