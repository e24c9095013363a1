using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Tests;

public class BitPackingTests
{
    [Fact]
    public void Twelve_bit_values_pack_little_endian_two_per_three_bytes()
    {
        var bytes = new byte[5];
        BitPacking.Pack12([0xABC, 0x123, 0xFFF], bytes);
        Assert.Equal(new byte[] { 0xBC, 0x3A, 0x12, 0xFF, 0x0F }, bytes);
        var back = new ushort[3];
        Assert.True(BitPacking.Unpack12(bytes, back));
        Assert.Equal(new ushort[] { 0xABC, 0x123, 0xFFF }, back);
    }

    [Fact]
    public void Two_bit_codes_pack_four_per_byte_first_in_the_low_bits()
    {
        var bytes = new byte[2];
        BitPacking.Pack2([1, 2, 3, 0, 3], bytes);
        Assert.Equal(new byte[] { 0b00_11_10_01, 0b11 }, bytes);
        var back = new byte[5];
        Assert.True(BitPacking.Unpack2(bytes, back));
        Assert.Equal(new byte[] { 1, 2, 3, 0, 3 }, back);
    }

    [Fact]
    public void Non_zero_padding_bits_are_reported()
    {
        Assert.False(BitPacking.Unpack12([0x01, 0x10], new ushort[1]));
        Assert.False(BitPacking.Unpack2([0b0100], new byte[1]));
    }

    [Fact]
    public void Random_values_round_trip()
    {
        var random = new Random(3);
        for (var n = 1; n < 40; n++)
        {
            var values = Enumerable.Range(0, n).Select(_ => (ushort)random.Next(4096)).ToArray();
            var packed = new byte[((n * 12) + 7) / 8];
            BitPacking.Pack12(values, packed);
            var back = new ushort[n];
            Assert.True(BitPacking.Unpack12(packed, back));
            Assert.Equal(values, back);
        }
    }
}
