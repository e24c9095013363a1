using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Tests;

public class PayloadRoundTripTests
{
    [Fact]
    public void A_payload_decodes_to_the_update_that_was_encoded()
    {
        var layout = TestLayouts.Mixed();
        var update = new ErrorFeedbackCompressor(layout).Compress(TestLayouts.Gaussian(layout.TotalElements, 7, 0.02f));
        var key = TestLayouts.Key(9);
        var bytes = PayloadEncoder.Encode(update, new PayloadHeader(TestLayouts.ConfigHash(layout), 42, 9), key);
        var expectation = new PayloadExpectation(layout, TestLayouts.ConfigHash(layout)) { Window = 42, Uid = 9 };

        Assert.Equal(expectation.ExactSize, bytes.Length);
        var decoded = PayloadDecoder.Decode(bytes, expectation, key.PublicKey);
        Assert.Equal(42ul, decoded.Header.Window);
        Assert.Equal(9u, decoded.Header.Uid);
        Assert.Equal(update.ToDense(), decoded.Update.ToDense());
        for (var t = 0; t < layout.Count; t++)
        {
            Assert.Equal(update.Tensors[t].Indices, decoded.Update.Tensors[t].Indices);
            Assert.Equal(update.Tensors[t].Codes, decoded.Update.Tensors[t].Codes);
            Assert.Equal(update.Tensors[t].Quantization, decoded.Update.Tensors[t].Quantization);
        }
    }

    [Fact]
    public void The_digest_is_the_blake2b_of_everything_before_it()
    {
        var layout = TestLayouts.Small();
        var bytes = TestLayouts.EncodedPayload(layout, 1, 3, 5);
        var bodyLength = bytes.Length - PayloadFormat.TrailerSize;
        Assert.Equal(Agora.Core.Crypto.Blake2b.Hash256(bytes.AsSpan(0, bodyLength)), bytes.AsSpan(bodyLength, 32).ToArray());
        Assert.True(Agora.Core.Crypto.Ed25519.Verify(TestLayouts.Key(3).PublicKey, bytes.AsSpan(bodyLength, 32), bytes.AsSpan(bodyLength + 32, 64)));
    }

    [Fact]
    public void Payload_arrays_for_64x64_chunks_are_146_times_smaller_than_fp32()
    {
        var layout = new TensorLayout([new TensorShape("w", 1024, 1024)]);
        var size = PayloadFormat.SizeOf(layout, CodecSettings.Default);
        var arrays = size - PayloadFormat.HeaderSize - PayloadFormat.TrailerSize - PayloadFormat.TensorHeaderSize;
        Assert.Equal(1024 * 1024 / 64 * 14 / 8, arrays);
        Assert.True(1024.0 * 1024 * 4 / arrays > 146.0);
        Assert.True(1024.0 * 1024 * 4 / size > 145.0); // headers, digest and signature cost 192 bytes
    }
}
