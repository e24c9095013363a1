using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Agora.Core.Crypto;

namespace Agora.Core.Tests.Adversarial;

/// <summary>
/// Forgeries that need no secret key: a signature "by" a small-order public key A with R = identity and S = 0
/// satisfies the verification equation [S]B = R + [k]A whenever [k]A = O (k = SHA-512(R ‖ A ‖ M) mod L), which an
/// attacker reaches by trying messages. The all-zero key (the old fee account) is such a point. The curve
/// arithmetic here is written independently of the library (affine twisted Edwards, RFC 8032 §5.1 constants) and
/// finds the small-order points from the group itself rather than from a table.
/// </summary>
[Trait("Category", "Adversarial")]
public class Ed25519SmallOrderKeyTests
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
    private static readonly BigInteger D = Mod(-121665 * Inv(121666));
    private static readonly (BigInteger X, BigInteger Y) Identity = (0, 1);

    private static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

    private static BigInteger Inv(BigInteger v) => BigInteger.ModPow(Mod(v), P - 2, P);

    private static (BigInteger X, BigInteger Y) Add((BigInteger X, BigInteger Y) a, (BigInteger X, BigInteger Y) b)
    {
        var t = Mod(D * a.X * b.X * a.Y * b.Y);
        return (Mod((a.X * b.Y + a.Y * b.X) * Inv(1 + t)), Mod((a.Y * b.Y + a.X * b.X) * Inv(1 - t)));
    }

    private static (BigInteger X, BigInteger Y) Mul(BigInteger k, (BigInteger X, BigInteger Y) pt)
    {
        var acc = Identity;
        for (var i = (int)k.GetBitLength() - 1; i >= 0; i--)
        {
            acc = Add(acc, acc);
            if (!(k >> i).IsEven)
            {
                acc = Add(acc, pt);
            }
        }

        return acc;
    }

    private static BigInteger? Sqrt(BigInteger a)
    {
        a = Mod(a);
        var r = BigInteger.ModPow(a, (P + 3) / 8, P);
        if (Mod(r * r) == a)
        {
            return r;
        }

        r = Mod(r * BigInteger.ModPow(2, (P - 1) / 4, P));
        return Mod(r * r) == a ? r : null;
    }

    /// <summary>The point with this y and an even x, or null when y is not on the curve.</summary>
    private static (BigInteger X, BigInteger Y)? PointWithY(BigInteger y)
    {
        var x = Sqrt((y * y - 1) * Inv(D * y * y + 1));
        return x is null ? null : (x.Value, y);
    }

    private static byte[] EncodeY(BigInteger y, bool sign)
    {
        var bytes = new byte[32];
        y.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        if (sign)
        {
            bytes[31] |= 0x80;
        }

        return bytes;
    }

    private static byte[] Encode((BigInteger X, BigInteger Y) pt) => EncodeY(pt.Y, !pt.X.IsEven);

    private static int Order((BigInteger X, BigInteger Y) pt)
    {
        var q = pt;
        for (var n = 1; n <= 8; n++)
        {
            if (q == Identity)
            {
                return n;
            }

            q = Add(q, pt);
        }

        return 0;
    }

    /// <summary>The eight points of order dividing 8: [L]Q for a curve point Q whose torsion part has order 8, and its multiples.</summary>
    private static List<(BigInteger X, BigInteger Y)> SmallOrderPoints()
    {
        for (BigInteger y = 2; ; y++)
        {
            if (PointWithY(y) is not { } q)
            {
                continue;
            }

            var t = Mul(L, q);
            if (Order(t) != 8)
            {
                continue;
            }

            var points = new List<(BigInteger X, BigInteger Y)>();
            var acc = Identity;
            for (var i = 0; i < 8; i++)
            {
                points.Add(acc);
                acc = Add(acc, t);
            }

            return points;
        }
    }

    /// <summary>R = identity, S = 0, and a message found by trial so that [k]A = O: the raw equation holds.</summary>
    private static (byte[] Message, byte[] Signature) Forge((BigInteger X, BigInteger Y) a)
    {
        var r = Encode(Identity);
        var encodedA = Encode(a);
        for (var i = 0; ; i++)
        {
            var message = Encoding.UTF8.GetBytes($"send everything to the attacker #{i}");
            var k = new BigInteger(SHA512.HashData([.. r, .. encodedA, .. message]), isUnsigned: true, isBigEndian: false) % L;
            if (Mul(k, a) == Identity)
            {
                return (message, [.. r, .. new byte[32]]);
            }
        }
    }

    [Fact]
    public void Forged_signatures_by_each_of_the_eight_small_order_keys_are_refused()
    {
        var points = SmallOrderPoints();
        Assert.Equal(8, points.Select(Encode).Select(Convert.ToHexString).Distinct().Count());
        foreach (var a in points)
        {
            Assert.Equal(Identity, Mul(8, a));
            var (message, signature) = Forge(a);
            Assert.False(Ed25519.Verify(Encode(a), message, signature), $"small-order key {Convert.ToHexString(Encode(a))} verified a forgery");
            Assert.NotNull(Ed25519.PublicKeyProblem(Encode(a)));
        }
    }

    [Fact]
    public void The_all_zero_fee_account_key_is_a_small_order_point_and_cannot_sign()
    {
        var zero = PointWithY(0)!.Value;
        Assert.Equal(4, Order(zero));
        var (message, signature) = Forge(zero);
        Assert.False(Ed25519.Verify(new byte[32], message, signature));
        Assert.Contains("small order", Ed25519.PublicKeyProblem(new byte[32]));
    }

    [Fact]
    public void The_identity_key_is_refused_for_every_message()
    {
        var identity = Encode(Identity);
        var signature = new byte[64];
        signature[0] = 1; // R = identity, S = 0: [0]B = O + [k]O holds for any message.
        Assert.False(Ed25519.Verify(identity, "anything"u8, signature));
        Assert.False(Ed25519.Verify(identity, "something else"u8, signature));
    }

    [Fact]
    public void Non_canonical_encodings_of_small_order_points_are_refused()
    {
        // y + p fits in 255 bits only for y < 19: y = 0 and y = 1 are small-order y values; x = 0 with the sign bit set
        // is the other non-canonical form (y = ±1).
        var encodings = new[] { EncodeY(P, false), EncodeY(P, true), EncodeY(P + 1, false), EncodeY(P + 1, true), EncodeY(1, true), EncodeY(P - 1, true) };
        foreach (var encoding in encodings)
        {
            Assert.NotNull(Ed25519.PublicKeyProblem(encoding));
            var signature = new byte[64];
            signature[0] = 1;
            Assert.False(Ed25519.Verify(encoding, "m"u8, signature));
        }
    }

    [Fact]
    public void A_non_canonical_y_of_an_ordinary_point_is_refused_as_key_and_as_R()
    {
        // The smallest y ≥ 2 on the curve: y + p is a second, non-canonical encoding of the same point.
        BigInteger y = 2;
        while (PointWithY(y) is null || y >= 19)
        {
            y++;
            Assert.True(y < 19, "no ordinary point with y < 19");
        }

        var nonCanonical = EncodeY(y + P, false);
        Assert.Contains("canonical", Ed25519.PublicKeyProblem(nonCanonical));
        var honest = Ed25519KeyPair.Generate();
        var signature = honest.Sign("m"u8);
        nonCanonical.CopyTo(signature, 0);
        Assert.Contains("canonical", Ed25519.SignatureProblem(signature));
        Assert.False(Ed25519.Verify(honest.PublicKey, "m"u8, signature));
    }

    [Fact]
    public void A_malleated_signature_with_S_plus_L_is_refused()
    {
        var key = Ed25519KeyPair.FromSeed(SHA256.HashData("malleability"u8));
        var message = "pay 5 TAO"u8.ToArray();
        var signature = key.Sign(message);
        Assert.True(Ed25519.Verify(key.PublicKey, message, signature));
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: false) + L;
        var malleated = (byte[])signature.Clone();
        Array.Clear(malleated, 32, 32);
        s.TryWriteBytes(malleated.AsSpan(32), out _, isUnsigned: true, isBigEndian: false);
        Assert.False(Ed25519.Verify(key.PublicKey, message, malleated));
        Assert.NotNull(Ed25519.SignatureProblem(malleated));
    }

    [Fact]
    public void Honest_keys_still_verify_and_have_no_key_problem()
    {
        for (var i = 0; i < 64; i++)
        {
            var key = Ed25519KeyPair.FromSeed(SHA256.HashData(BitConverter.GetBytes(i)));
            var message = BitConverter.GetBytes(i * 7919);
            Assert.Null(Ed25519.PublicKeyProblem(key.PublicKey));
            var signature = key.Sign(message);
            Assert.Null(Ed25519.SignatureProblem(signature));
            Assert.True(Ed25519.Verify(key.PublicKey, message, signature));
        }
    }

    [Theory]
    // RFC 8032 §7.1, TEST 2 and TEST 3 (TEST 1 is in CryptoTests).
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    [InlineData("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")]
    public void Rfc8032_test_vectors_still_pass(string seed, string publicKey, string message, string signature)
    {
        var key = Ed25519KeyPair.FromSeed(Convert.FromHexString(seed));
        Assert.Equal(publicKey, Convert.ToHexStringLower(key.PublicKey));
        Assert.Equal(signature, Convert.ToHexStringLower(key.Sign(Convert.FromHexString(message))));
        Assert.True(Ed25519.Verify(key.PublicKey, Convert.FromHexString(message), Convert.FromHexString(signature)));
    }
}
