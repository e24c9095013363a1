using Agora.Core.Serialization;

namespace Agora.Core.Tests;

public class EncodingTests
{
    [Fact]
    public void Writer_produces_little_endian_length_prefixed_golden_bytes()
    {
        var bytes = new CanonicalWriter()
            .WriteU8(0xAB)
            .WriteBool(true)
            .WriteU16(0x0102)
            .WriteU32(0x03040506)
            .WriteU64(0x0708090A0B0C0D0E)
            .WriteBytes([0xFF, 0xEE])
            .WriteString("é")
            .ToArray();

        var expected = new byte[]
        {
            0xAB, 0x01, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03,
            0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09, 0x08, 0x07,
            0x02, 0x00, 0x00, 0x00, 0xFF, 0xEE,
            0x02, 0x00, 0x00, 0x00, 0xC3, 0xA9,
        };
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Reader_round_trips_every_field_kind()
    {
        var bytes = new CanonicalWriter()
            .WriteU8(7).WriteBool(false).WriteU16(65535).WriteU32(uint.MaxValue).WriteU64(ulong.MaxValue)
            .WriteI64(-5).WriteU128(UInt128.MaxValue - 3).WriteFixed([1, 2, 3]).WriteBytes([9]).WriteString("agora")
            .ToArray();
        var r = new CanonicalReader(bytes);
        Assert.Equal(7, r.ReadU8());
        Assert.False(r.ReadBool());
        Assert.Equal(65535, r.ReadU16());
        Assert.Equal(uint.MaxValue, r.ReadU32());
        Assert.Equal(ulong.MaxValue, r.ReadU64());
        Assert.Equal(-5, r.ReadI64());
        Assert.Equal(UInt128.MaxValue - 3, r.ReadU128());
        Assert.Equal(new byte[] { 1, 2, 3 }, r.ReadFixed(3));
        Assert.Equal(new byte[] { 9 }, r.ReadBytes(10));
        Assert.Equal("agora", r.ReadString(10));
        r.EnsureEnd();
    }

    [Fact]
    public void Reader_rejects_trailing_bytes()
    {
        var bytes = new CanonicalWriter().WriteU16(1).WriteU8(0).ToArray();
        var ex = Assert.Throws<EncodingException>(() =>
        {
            var r = new CanonicalReader(bytes);
            r.ReadU16();
            r.EnsureEnd("test value");
        });
        Assert.Contains("trailing", ex.Message);
    }

    [Fact]
    public void Reader_rejects_short_data_and_names_the_field()
    {
        var ex = Assert.Throws<EncodingException>(() =>
        {
            var r = new CanonicalReader(new byte[] { 1, 2, 3 });
            r.ReadU64("balance");
        });
        Assert.Contains("balance", ex.Message);
    }

    [Fact]
    public void Reader_rejects_length_prefix_beyond_the_limit_or_the_data()
    {
        var tooLong = new CanonicalWriter().WriteU32(1000).ToArray();
        Assert.Throws<EncodingException>(() => new CanonicalReader(tooLong).ReadBytes(10));
        var lying = new CanonicalWriter().WriteU32(5).WriteFixed([1, 2]).ToArray();
        Assert.Throws<EncodingException>(() => new CanonicalReader(lying).ReadBytes(100));
    }

    [Fact]
    public void Reader_rejects_non_canonical_boolean_and_invalid_utf8()
    {
        Assert.Throws<EncodingException>(() => new CanonicalReader(new byte[] { 2 }).ReadBool());
        var badUtf8 = new CanonicalWriter().WriteBytes([0xC3]).ToArray();
        Assert.Throws<EncodingException>(() => new CanonicalReader(badUtf8).ReadString(10));
    }
}
