using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Tests;

/// <summary>Pins the exact bytes of small payloads; a change here is a wire-format change and needs a new version.</summary>
public class PayloadGoldenTests
{
    private static readonly TensorLayout Layout = new([new TensorShape("v", 4), new TensorShape("m", 2, 3)]);

    private static byte[] ConfigHash() => Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static byte[] Encode()
    {
        var compressor = new ErrorFeedbackCompressor(Layout);
        var update = compressor.Compress([0.5f, -2f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 3f]);
        return PayloadEncoder.Encode(update, new PayloadHeader(ConfigHash(), 7, 5), TestLayouts.Key(1));
    }

    [Fact]
    public void The_body_of_a_two_tensor_payload_has_the_documented_bytes()
    {
        var expected = Convert.FromHexString(string.Concat(
            "4147534C", // magic "AGSL"
            "0100", "0000", // version 1, flags 0
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", // config hash
            "0700000000000000", "05000000", "02000000", // window 7, UID 5, 2 tensors
            "0000", "01", "00", "04000000", "00000000", "01", "04", "0100", // v: index 0, rank 1, (4), chunk 1×4, k 1
            "000000C0", "CCBC8C2B", "000000C0000000C0000000C0000000C0", // shift −2, scale 1e−12, table all −2
            "0100", "02", // index 1 (padded to 2 bytes), code 2
            "0100", "02", "00", "02000000", "03000000", "02", "03", "0100", // m: index 1, rank 2, (2, 3), chunk 2×3, k 1
            "00004040", "CCBC8C2B", "00004040000040400000404000004040", // shift 3, scale 1e−12, table all 3
            "0500", "02")); // index 5, code 2
        var bytes = Encode();
        Assert.Equal(expected.Length + PayloadFormat.TrailerSize, bytes.Length);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(bytes.AsSpan(0, expected.Length)));
    }

    [Fact]
    public void The_digest_and_signature_of_the_two_tensor_payload_are_pinned()
    {
        var bytes = Encode();
        // Computed independently with Python: hashlib.blake2b(body, digest_size=32), then Ed25519 (seed 0x01 × 32) over the digest.
        Assert.Equal(
            "163DC1B61E17266C4BAD52A1AEB0C36AC9FDC4707BC640A9F255D48E5FB79B5B"
            + "BF9E4708F14C69FF33813C317F734E3DB761534416DFCBF23FECEBFCFBBB2504A7A93AFC6CD45D0FB8CDC5A0D138377E416CBBA553130CEBC38164329F61280D",
            Convert.ToHexString(bytes.AsSpan(bytes.Length - PayloadFormat.TrailerSize)));
    }

    [Fact]
    public void A_payload_with_64x64_chunks_packs_indices_in_12_bits_and_codes_in_2()
    {
        var layout = new TensorLayout([new TensorShape("w", 64, 64)]);
        var delta = new float[4096];
        for (var i = 0; i < 64; i++)
        {
            delta[i * 64] = i % 2 == 0 ? 1f : -1f; // column 0 of each row: local indices 0, 64, 128, ...
        }

        var update = new ErrorFeedbackCompressor(layout).Compress(delta);
        var bytes = PayloadEncoder.Encode(update, new PayloadHeader(new byte[32], 0, 0), TestLayouts.Key(2));
        Assert.Equal(56 + 40 + 96 + 16 + 96, bytes.Length);
        var indices = bytes.AsSpan(96, 96);
        Assert.Equal("000004", Convert.ToHexString(indices[..3])); // 0 and 64 as two 12-bit values
        Assert.Equal("80000C", Convert.ToHexString(indices[3..6])); // 128 = 0x080 and 192 = 0x0C0
        var codes = bytes.AsSpan(192, 16);
        Assert.All(codes.ToArray(), b => Assert.Equal(0b01_11_01_11, b)); // +1 → code 3, −1 → code 1 (shift 0, σ 1, scale 1.5)
    }
}
