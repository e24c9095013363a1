using System.Buffers.Binary;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Tests;

/// <summary>Every rejection rule, each triggered by one targeted corruption of a valid payload. Layout Small at 512 kept per
/// 4096: tensor w (8×12, one 96-entry chunk, k = 12) at byte 56, tensor b (10, one chunk, k = 1) at byte 117; 256 bytes.</summary>
public class PayloadDecoderTests
{
    private const int W = PayloadFormat.HeaderSize;
    private const int WIndices = W + PayloadFormat.TensorHeaderSize;
    private const int B = WIndices + 18 + 3;
    private static readonly CodecSettings Settings = new() { KeepPer4096 = 512 };
    private static readonly TensorLayout Layout = TestLayouts.Small();

    private static byte[] Valid() => TestLayouts.EncodedPayload(Layout, 5, 3, 11, Settings);

    private static PayloadExpectation Expectation() => new(Layout, TestLayouts.ConfigHash(Layout), Settings) { Window = 11, Uid = 3 };

    private static PayloadError Reject(byte[] bytes, PayloadExpectation? expectation = null, byte keySeed = 3)
    {
        var error = Assert.Throws<PayloadException>(() => PayloadDecoder.Decode(bytes, expectation ?? Expectation(), TestLayouts.Key(keySeed).PublicKey));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error.Error;
    }

    private static byte[] With(Action<byte[]> change)
    {
        var bytes = Valid();
        change(bytes);
        return bytes;
    }

    [Fact]
    public void The_valid_payload_used_below_decodes_and_has_the_layout_the_offsets_assume()
    {
        var bytes = Valid();
        Assert.Equal(256, bytes.Length);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(B)));
        Assert.Equal(12, PayloadDecoder.Decode(bytes, Expectation(), TestLayouts.Key(3).PublicKey).Update.Tensors[0].KeepPerChunk);
    }

    [Fact]
    public void Short_input_is_truncated() => Assert.Equal(PayloadError.Truncated, Reject(Valid()[..100]));

    [Fact]
    public void Input_shorter_than_the_magic_is_truncated() => Assert.Equal(PayloadError.Truncated, Reject([0x41, 0x47]));

    [Fact]
    public void Input_missing_only_the_last_byte_is_truncated() => Assert.Equal(PayloadError.Truncated, Reject(Valid()[..^1]));

    [Fact]
    public void Wrong_magic_is_rejected() => Assert.Equal(PayloadError.BadMagic, Reject(With(b => b[0] = (byte)'X')));

    [Fact]
    public void Unknown_version_is_rejected() => Assert.Equal(PayloadError.UnsupportedVersion, Reject(With(b => b[4] = 2)));

    [Fact]
    public void Non_zero_flags_are_rejected() => Assert.Equal(PayloadError.ReservedFieldNotZero, Reject(With(b => b[6] = 1)));

    [Fact]
    public void Input_longer_than_the_cap_is_oversized() => Assert.Equal(PayloadError.Oversized, Reject([.. Valid(), 0]));

    [Fact]
    public void Bytes_after_the_signature_are_trailing_when_the_cap_allows_them() =>
        Assert.Equal(PayloadError.TrailingBytes, Reject([.. Valid(), 0], Expectation() with { MaxBytes = 4096 }));

    [Fact]
    public void A_different_config_hash_is_rejected() => Assert.Equal(PayloadError.ConfigHashMismatch, Reject(With(b => b[20] ^= 1)));

    [Fact]
    public void A_different_window_is_rejected() => Assert.Equal(PayloadError.WrongWindow, Reject(With(b => b[40] = 12)));

    [Fact]
    public void A_different_uid_is_rejected() => Assert.Equal(PayloadError.WrongUid, Reject(With(b => b[48] = 4)));

    [Fact]
    public void Window_and_uid_are_not_checked_when_the_receiver_does_not_fix_them()
    {
        var open = new PayloadExpectation(Layout, TestLayouts.ConfigHash(Layout), Settings);
        Assert.Equal(11ul, PayloadDecoder.Decode(Valid(), open, TestLayouts.Key(3).PublicKey).Header.Window);
    }

    [Fact]
    public void A_different_tensor_count_is_rejected() => Assert.Equal(PayloadError.WrongTensorCount, Reject(With(b => b[52] = 3)));

    [Fact]
    public void Tensors_out_of_layout_order_are_rejected() => Assert.Equal(PayloadError.WrongTensorIndex, Reject(With(b => b[B] = 0)));

    [Fact]
    public void A_wrong_rank_is_a_wrong_shape() => Assert.Equal(PayloadError.WrongShape, Reject(With(b => b[W + 2] = 1)));

    [Fact]
    public void A_wrong_dimension_is_a_wrong_shape() => Assert.Equal(PayloadError.WrongShape, Reject(With(b => b[W + 8] = 13)));

    [Fact]
    public void A_vector_with_a_second_dimension_is_a_wrong_shape() => Assert.Equal(PayloadError.WrongShape, Reject(With(b => b[B + 8] = 1)));

    [Fact]
    public void A_non_zero_tensor_reserved_byte_is_rejected() => Assert.Equal(PayloadError.ReservedFieldNotZero, Reject(With(b => b[W + 3] = 9)));

    [Fact]
    public void A_different_chunk_geometry_is_rejected() => Assert.Equal(PayloadError.WrongChunkGeometry, Reject(With(b => b[W + 12] = 4)));

    [Fact]
    public void A_different_count_per_chunk_is_rejected() => Assert.Equal(PayloadError.WrongCountPerChunk, Reject(With(b => b[W + 14] = 13)));

    [Theory]
    [InlineData(16, float.NaN)]
    [InlineData(20, float.PositiveInfinity)]
    [InlineData(36, float.NegativeInfinity)]
    public void Non_finite_quantization_parameters_are_rejected(int field, float value) =>
        Assert.Equal(PayloadError.NonFiniteQuantization, Reject(With(b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(W + field), value))));

    [Theory]
    [InlineData(1e-13f)]
    [InlineData(2e4f)]
    [InlineData(-1f)]
    [InlineData(0f)]
    public void A_scale_outside_the_allowed_range_is_rejected(float scale) =>
        Assert.Equal(PayloadError.ScaleOutOfRange, Reject(With(b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(W + 20), scale))));

    [Fact]
    public void A_huge_shift_is_rejected() =>
        Assert.Equal(PayloadError.ShiftOutOfRange, Reject(With(b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(W + 16), -2e4f))));

    [Fact]
    public void A_table_entry_no_honest_encoder_could_produce_is_rejected() =>
        Assert.Equal(PayloadError.TableOutOfRange, Reject(With(b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(W + 36), 5f))));

    [Fact]
    public void An_index_past_the_end_of_its_chunk_is_rejected() =>
        Assert.Equal(PayloadError.IndexOutOfRange, Reject(With(b => PatchIndex(b, 11, 96))));

    [Fact]
    public void A_repeated_index_is_rejected() =>
        Assert.Equal(PayloadError.DuplicateIndex, Reject(With(b => PatchIndex(b, 1, ReadIndex(b, 0)))));

    [Fact]
    public void Indices_out_of_order_are_rejected() =>
        Assert.Equal(PayloadError.IndexNotAscending, Reject(With(b =>
        {
            var (first, second) = (ReadIndex(b, 0), ReadIndex(b, 1));
            PatchIndex(b, 0, second);
            PatchIndex(b, 1, first);
        })));

    [Fact]
    public void Set_padding_bits_after_the_indices_are_rejected() => Assert.Equal(PayloadError.PaddingNotZero, Reject(With(b => b[B + 41] |= 0x10)));

    [Fact]
    public void Set_padding_bits_after_the_codes_are_rejected() => Assert.Equal(PayloadError.PaddingNotZero, Reject(With(b => b[B + 42] |= 0x40)));

    [Fact]
    public void A_changed_code_fails_the_digest() => Assert.Equal(PayloadError.DigestMismatch, Reject(With(b => b[WIndices + 18] ^= 0x01)));

    [Fact]
    public void A_changed_signature_fails_verification() => Assert.Equal(PayloadError.BadSignature, Reject(With(b => b[^1] ^= 0x01)));

    [Fact]
    public void A_payload_signed_by_another_hotkey_fails_verification() => Assert.Equal(PayloadError.BadSignature, Reject(Valid(), keySeed: 4));

    [Fact]
    public void Error_codes_keep_their_persisted_values()
    {
        Assert.Equal(1, (int)PayloadError.Truncated);
        Assert.Equal(5, (int)PayloadError.Oversized);
        Assert.Equal(13, (int)PayloadError.WrongCountPerChunk);
        Assert.Equal(19, (int)PayloadError.DuplicateIndex);
        Assert.Equal(22, (int)PayloadError.DigestMismatch);
        Assert.Equal(23, (int)PayloadError.BadSignature);
        Assert.Equal(24, (int)PayloadError.TrailingBytes);
        Assert.Equal(24, Enum.GetValues<PayloadError>().Length);
    }

    private static int ReadIndex(byte[] bytes, int i)
    {
        var values = new ushort[12];
        BitPacking.Unpack12(bytes.AsSpan(WIndices, 18), values);
        return values[i];
    }

    private static void PatchIndex(byte[] bytes, int i, int value)
    {
        var values = new ushort[12];
        BitPacking.Unpack12(bytes.AsSpan(WIndices, 18), values);
        values[i] = (ushort)value;
        BitPacking.Pack12(values, bytes.AsSpan(WIndices, 18));
    }
}
