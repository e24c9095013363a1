using System.Numerics;
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

/// <summary>
/// Strict Ed25519 verification. On top of the RFC 8032 equation (checked by BouncyCastle) every signature check
/// refuses, before any curve arithmetic: a public key or R that is not a canonical encoding (y ≥ p, or the sign
/// bit set on x = 0), a public key or R of small order (the identity and the other seven points of order 2, 4 or
/// 8: a signature "by" such a key can be forged without any secret, e.g. R = identity, S = 0), and S ≥ L.
/// Every caller (transactions, registration proofs, payload and commitment signatures) goes through <see cref="Verify"/>.
/// </summary>
public static class Ed25519
{
    // p = 2^255 − 19, L = 2^252 + 27742317777372353535851937790883648493, d = −121665/121666 (RFC 8032 §5.1).
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
    private static readonly byte[] LBytes = Encode(L);

    // The y coordinates of the eight small-order points: 1 (identity), p − 1 (order 2), 0 (order 4) and the two
    // values ±y8 shared by the four points of order 8 (y8² = (−1 ± √(1 + d)) / d, whichever is a square). A point
    // is of small order exactly when its y is one of these, whatever its sign bit.
    private static readonly byte[][] SmallOrderY = ComputeSmallOrderY();

    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="message"/> by <paramref name="publicKey"/>.
    /// Malformed, non-canonical or small-order keys and signatures verify as false rather than throwing.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != Ed25519KeyPair.PublicKeySize || signature.Length != Ed25519KeyPair.SignatureSize)
        {
            return false;
        }

        if (PublicKeyProblem(publicKey) is not null || SignatureProblem(signature) is not null)
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

    /// <summary>Why <paramref name="publicKey"/> can never verify a signature (wrong length, non-canonical encoding,
    /// small order), or null when it is acceptable as far as these checks go (off-curve keys fail in <see cref="Verify"/>).</summary>
    public static string? PublicKeyProblem(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Ed25519KeyPair.PublicKeySize)
        {
            return $"an Ed25519 public key is {Ed25519KeyPair.PublicKeySize} bytes, got {publicKey.Length}";
        }

        return PointProblem(publicKey, "public key");
    }

    /// <summary>Why <paramref name="signature"/> is refused before the curve equation is checked (non-canonical or small-order R, S ≥ L), or null.</summary>
    public static string? SignatureProblem(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519KeyPair.SignatureSize)
        {
            return $"an Ed25519 signature is {Ed25519KeyPair.SignatureSize} bytes, got {signature.Length}";
        }

        return PointProblem(signature[..32], "signature R") ?? (LessThan(signature[32..], LBytes) ? null : "signature S is not below the group order L");
    }

    private static string? PointProblem(ReadOnlySpan<byte> encoding, string what)
    {
        Span<byte> y = stackalloc byte[32];
        encoding.CopyTo(y);
        var sign = (y[31] & 0x80) != 0;
        y[31] &= 0x7F;
        if (!LessThan(y, PBytes))
        {
            return $"{what} is not a canonical encoding (y ≥ p)";
        }

        // x = 0 exactly when y = ±1; the sign bit of x = 0 must be clear.
        if (sign && (y.SequenceEqual(SmallOrderY[0]) || y.SequenceEqual(SmallOrderY[1])))
        {
            return $"{what} is not a canonical encoding (sign bit set on x = 0)";
        }

        foreach (var small in SmallOrderY)
        {
            if (y.SequenceEqual(small))
            {
                return $"{what} is a point of small order (order 1, 2, 4 or 8)";
            }
        }

        return null;
    }

    private static readonly byte[] PBytes = Encode(P);

    /// <summary>Little-endian 32-byte comparison a &lt; b.</summary>
    private static bool LessThan(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (var i = 31; i >= 0; i--)
        {
            if (a[i] != b[i])
            {
                return a[i] < b[i];
            }
        }

        return false;
    }

    private static byte[] Encode(BigInteger v)
    {
        var bytes = new byte[32];
        v.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return bytes;
    }

    private static byte[][] ComputeSmallOrderY()
    {
        var p = BigInteger.Pow(2, 255) - 19;
        BigInteger Mod(BigInteger v) => ((v % p) + p) % p;
        BigInteger Inv(BigInteger v) => BigInteger.ModPow(Mod(v), p - 2, p);
        var sqrtMinusOne = BigInteger.ModPow(2, (p - 1) / 4, p);
        BigInteger? Sqrt(BigInteger a)
        {
            a = Mod(a);
            var r = BigInteger.ModPow(a, (p + 3) / 8, p);
            if (Mod(r * r) == a)
            {
                return r;
            }

            r = Mod(r * sqrtMinusOne);
            return Mod(r * r) == a ? r : null;
        }

        var d = Mod(-121665 * Inv(121666));
        var s = Sqrt(1 + d) ?? throw new InvalidOperationException("1 + d has no square root mod p.");
        var y8 = Sqrt(Mod((-1 + s) * Inv(d))) ?? Sqrt(Mod((-1 - s) * Inv(d))) ?? throw new InvalidOperationException("No point of order 8.");
        // Order matters: PointProblem reads [0] = 1 and [1] = p − 1 for the x = 0 check.
        return [Encode(1), Encode(p - 1), Encode(0), Encode(y8), Encode(p - y8)];
    }
}
