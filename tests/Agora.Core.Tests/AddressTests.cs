using Agora.Core.Addresses;
using Agora.Core.Crypto;

namespace Agora.Core.Tests;

public class AddressTests
{
    // The well-known substrate development key "Alice" and its generic-prefix (42) address.
    private const string AliceKeyHex = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
    private const string AliceAddress = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    [Fact]
    public void Encode_matches_the_published_substrate_address_of_a_known_key()
    {
        Assert.Equal(AliceAddress, Ss58Address.Encode(Convert.FromHexString(AliceKeyHex)));
    }

    [Fact]
    public void Decode_returns_the_public_key()
    {
        Assert.Equal(Convert.FromHexString(AliceKeyHex), Ss58Address.Decode(AliceAddress));
    }

    [Fact]
    public void Round_trip_holds_for_generated_keys()
    {
        for (byte i = 0; i < 20; i++)
        {
            var seed = new byte[32];
            seed[0] = i;
            var key = Ed25519KeyPair.FromSeed(seed).PublicKey;
            Assert.Equal(key, Ss58Address.Decode(Ss58Address.Encode(key)));
        }
    }

    [Fact]
    public void Decode_rejects_a_mistyped_character_with_a_checksum_error()
    {
        var typo = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ";
        var ex = Assert.Throws<FormatException>(() => Ss58Address.Decode(typo));
        Assert.Contains("checksum", ex.Message);
    }

    [Fact]
    public void Decode_rejects_characters_outside_base58()
    {
        var ex = Assert.Throws<FormatException>(() => Ss58Address.Decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKut0Y"));
        Assert.Contains("'0'", ex.Message);
    }

    [Fact]
    public void Decode_rejects_wrong_length_and_wrong_prefix()
    {
        Assert.Contains("bytes", Assert.Throws<FormatException>(() => Ss58Address.Decode("5GrwvaEF5zXb")).Message);
        var other = Ss58Address.Encode(Convert.FromHexString(AliceKeyHex), prefix: 0);
        Assert.Contains("prefix", Assert.Throws<FormatException>(() => Ss58Address.Decode(other)).Message);
        Assert.Equal(Convert.FromHexString(AliceKeyHex), Ss58Address.Decode(other, expectedPrefix: 0));
    }

    [Fact]
    public void Base58_keeps_leading_zero_bytes()
    {
        var data = new byte[] { 0, 0, 1, 2, 255 };
        Assert.StartsWith("11", Base58.Encode(data));
        Assert.Equal(data, Base58.Decode(Base58.Encode(data)));
    }
}
