using System.Text;
using Agora.Core.Crypto;

namespace Agora.Core.Tests;

public class CryptoTests
{
    [Fact]
    public void Blake2b_512_of_abc_matches_rfc7693_appendix_a()
    {
        var digest = Blake2b.Hash(Encoding.ASCII.GetBytes("abc"), 64);
        Assert.Equal(
            "BA80A53F981C4D0D6A2797B69F12F6E94C212F14685AC4B74B12BB6FDBFFA2D17D87C5392AAB792DC252D5DE4533CC9518D38AA8DBF1925AB92386EDD4009923",
            Convert.ToHexString(digest));
    }

    [Fact]
    public void Blake2b_256_of_empty_input_matches_the_known_digest()
    {
        Assert.Equal(
            "0E5751C026E543B2E8AB2EB06099DAA1D1E5DF47778F7787FAAB45CDF12FE3A8",
            Convert.ToHexString(Blake2b.Hash256(ReadOnlySpan<byte>.Empty)));
    }

    [Fact]
    public void Incremental_hashing_equals_one_shot_hashing()
    {
        var data = Encoding.UTF8.GetBytes("the quick brown fox jumps over the lazy dog");
        var incremental = new Blake2b.Hasher().Update(data.AsSpan(0, 10)).Update(data.AsSpan(10)).Finish();
        Assert.Equal(Blake2b.Hash256(data), incremental);
    }

    [Fact]
    public void Ed25519_rfc8032_test_1_public_key_and_signature_match()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var key = Ed25519KeyPair.FromSeed(seed);
        Assert.Equal("D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A", Convert.ToHexString(key.PublicKey));
        var signature = key.Sign(ReadOnlySpan<byte>.Empty);
        Assert.Equal(
            "E5564300C360AC729086E2CC806E828A84877F1EB8E5D974D873E065224901555FB8821590A33BACC61E39701CF9B46BD25BF5F0595BBE24655141438E7A100B",
            Convert.ToHexString(signature));
        Assert.True(Ed25519.Verify(key.PublicKey, ReadOnlySpan<byte>.Empty, signature));
    }

    [Fact]
    public void Ed25519_rejects_a_tampered_message_and_malformed_inputs()
    {
        var key = Ed25519KeyPair.Generate();
        var message = Encoding.UTF8.GetBytes("pay 5 TAO");
        var signature = key.Sign(message);
        Assert.True(Ed25519.Verify(key.PublicKey, message, signature));
        message[0] ^= 1;
        Assert.False(Ed25519.Verify(key.PublicKey, message, signature));
        Assert.False(Ed25519.Verify(key.PublicKey.AsSpan(0, 31), message, signature));
        Assert.False(Ed25519.Verify(key.PublicKey, message, signature.AsSpan(0, 63)));
    }
}
