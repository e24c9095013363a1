using System.Buffers.Binary;

namespace Agora.Data.Tests;

public sealed class TokenShardTests
{
    [Fact]
    public void A_tiny_version_1_shard_has_the_llm_c_bytes()
    {
        var bytes = TokenShard.ToBytes([1, 2, 65535]);

        var expected = new byte[1024 + 6];
        // Header: magic 20240520 = 0x0134D888, version 1, count 3, all little-endian; the rest zero.
        new byte[] { 0x88, 0xD8, 0x34, 0x01, 1, 0, 0, 0, 3, 0, 0, 0 }.CopyTo(expected, 0);
        new byte[] { 1, 0, 2, 0, 0xFF, 0xFF }.CopyTo(expected, 1024);
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void A_token_above_65535_makes_a_version_2_shard_with_uint32_tokens()
    {
        var bytes = TokenShard.ToBytes([70000, 3]);

        Assert.Equal(1024 + 8, bytes.Length);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(70000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(1024)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(1028)));
    }

    [Fact]
    public void Written_shards_read_back_identically_in_both_versions()
    {
        using var dir = new TempDirectory();
        var rng = new Random(5);
        var small = Enumerable.Range(0, 5000).Select(_ => rng.Next(0, 65536)).ToArray();
        var large = Enumerable.Range(0, 5000).Select(_ => rng.Next(0, 1 << 20)).ToArray();

        TokenShard.Write(dir.File("a.bin"), small);
        TokenShard.Write(dir.File("b.bin"), large);

        Assert.Equal(small, TokenShard.Read(dir.File("a.bin")));
        Assert.Equal(large, TokenShard.Read(dir.File("b.bin")));
        Assert.Equal(new TokenShardHeader(1, 5000), TokenShard.ReadHeader(dir.File("a.bin")));
        Assert.Equal(new TokenShardHeader(2, 5000), TokenShard.ReadHeader(dir.File("b.bin")));
    }

    [Fact]
    public void An_empty_shard_round_trips()
    {
        Assert.Empty(TokenShard.Parse(TokenShard.ToBytes([])));
    }

    [Fact]
    public void A_bad_magic_is_rejected()
    {
        var bytes = TokenShard.ToBytes([1, 2, 3]);
        bytes[0] ^= 1;

        var e = Assert.Throws<TokenShardFormatException>(() => TokenShard.Parse(bytes));
        Assert.Contains("bad magic", e.Message);
    }

    [Fact]
    public void An_unknown_version_is_rejected()
    {
        var bytes = TokenShard.ToBytes([1, 2, 3]);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 3);

        var e = Assert.Throws<TokenShardFormatException>(() => TokenShard.Parse(bytes));
        Assert.Contains("unsupported version 3", e.Message);
    }

    [Fact]
    public void A_truncated_header_is_rejected()
    {
        var bytes = TokenShard.ToBytes([1, 2, 3]).AsSpan(0, 100).ToArray();

        var e = Assert.Throws<TokenShardFormatException>(() => TokenShard.Parse(bytes));
        Assert.Contains("truncated header", e.Message);
    }

    [Fact]
    public void A_shard_shorter_than_its_count_is_rejected_as_truncated()
    {
        using var dir = new TempDirectory();
        var bytes = TokenShard.ToBytes([1, 2, 3]);
        File.WriteAllBytes(dir.File("t.bin"), bytes.AsSpan(0, bytes.Length - 1).ToArray());

        var e = Assert.Throws<TokenShardFormatException>(() => TokenShard.Read(dir.File("t.bin")));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("t.bin", e.Message);
    }

    [Fact]
    public void A_shard_longer_than_its_count_is_rejected_as_a_count_mismatch()
    {
        var bytes = TokenShard.ToBytes([1, 2, 3]).Concat(new byte[] { 0, 0 }).ToArray();

        var e = Assert.Throws<TokenShardFormatException>(() => TokenShard.Parse(bytes));
        Assert.Contains("count mismatch", e.Message);
    }

    [Fact]
    public void A_token_outside_the_vocabulary_is_rejected_when_a_vocabulary_is_given()
    {
        using var dir = new TempDirectory();
        TokenShard.Write(dir.File("v.bin"), [1, 511, 512]);

        Assert.Equal(3, TokenShard.Read(dir.File("v.bin")).Length);
        var e = Assert.Throws<TokenShardFormatException>(() => TokenShard.Read(dir.File("v.bin"), vocabSize: 512));
        Assert.Contains("token 512 at position 2", e.Message);
    }

    [Fact]
    public void Negative_tokens_cannot_be_written()
    {
        Assert.Throws<ArgumentException>(() => TokenShard.ToBytes([1, -1]));
    }

    [Fact]
    public void A_missing_file_names_the_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TokenShard.Read("/nonexistent/shard.bin"));
        Assert.Contains("/nonexistent/shard.bin", e.Message);
    }

    [Fact]
    public void The_magic_test_tells_shards_from_text()
    {
        Assert.True(TokenShardHeader.HasMagic(TokenShard.ToBytes([7])));
        Assert.False(TokenShardHeader.HasMagic("Hello"u8));
        Assert.False(TokenShardHeader.HasMagic([0x88, 0xD8]));
    }
}
