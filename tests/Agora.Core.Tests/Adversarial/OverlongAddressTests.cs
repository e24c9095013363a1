using Agora.Core.Addresses;
using Agora.Core.Crypto;

namespace Agora.Core.Tests.Adversarial;

/// <summary>
/// Base58 decoding is quadratic in the text length, so an attacker who sends an 80,000-character "address" to any
/// endpoint that parses addresses buys seconds of CPU per request. These tests pin that the length is refused first.
/// </summary>
[Trait("Category", "Adversarial")]
public class OverlongAddressTests
{
    [Fact]
    public void Ss58_decode_refuses_an_80000_character_address_by_its_length_without_echoing_it()
    {
        var hostile = new string('z', 80_000);
        var e = Assert.Throws<FormatException>(() => Ss58Address.Decode(hostile));
        Assert.Contains($"at most {Ss58Address.MaxLength}", e.Message);
        Assert.True(e.Message.Length < 200, $"The error echoes the hostile input ({e.Message.Length} characters).");
    }

    [Fact]
    public void Ss58_decode_refuses_one_character_over_the_maximum()
    {
        var valid = Ss58Address.Encode(new byte[32]);
        var padded = valid + new string('1', Ss58Address.MaxLength + 1 - valid.Length);
        var e = Assert.Throws<FormatException>(() => Ss58Address.Decode(padded));
        Assert.Contains($"at most {Ss58Address.MaxLength}", e.Message);
    }

    [Fact]
    public void Ss58_maximum_length_is_the_longest_base58_of_a_35_byte_payload_so_no_valid_address_is_refused()
    {
        // The largest 35-byte number has the longest base58 form; every real address is at most that long.
        Assert.Equal(Ss58Address.MaxLength, Base58.Encode(Enumerable.Repeat((byte)0xFF, 35).ToArray()).Length);
        for (byte prefix = 0; prefix < 64; prefix++)
        {
            var key = Ed25519KeyPair.FromSeed(Enumerable.Repeat(prefix, 32).ToArray()).PublicKey;
            var address = Ss58Address.Encode(key, prefix);
            Assert.True(address.Length <= Ss58Address.MaxLength);
            Assert.Equal(key, Ss58Address.Decode("  " + address + "\n", prefix));
        }
    }

    [Fact]
    public void Base58_decode_refuses_text_longer_than_its_bound_before_decoding()
    {
        var e = Assert.Throws<FormatException>(() => Base58.Decode(new string('2', Base58.MaxDecodeLength + 1)));
        Assert.Contains($"at most {Base58.MaxDecodeLength}", e.Message);
        Assert.NotEmpty(Base58.Decode(new string('2', Base58.MaxDecodeLength)));
    }
}
