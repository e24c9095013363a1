using System.Buffers.Binary;
using Agora.Core.Crypto;

namespace Agora.Data.Tests;

public sealed class SamplingTests
{
    private static readonly byte[] Salt = "salt"u8.ToArray();

    [Fact]
    public void Xoshiro_matches_the_reference_sequence_for_state_1_2_3_4()
    {
        var seed = new byte[32];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(seed.AsSpan(8 * i), (ulong)(i + 1));
        }

        var rng = new Xoshiro256StarStar(seed);

        // Computed independently with the published algorithm (Python, 64-bit wrap-around arithmetic).
        ulong[] expected = [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360];
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => rng.NextUInt64()).ToArray());
    }

    [Fact]
    public void An_all_zero_seed_still_produces_a_moving_sequence()
    {
        var rng = new Xoshiro256StarStar(new byte[32]);
        Assert.NotEqual(rng.NextUInt64(), rng.NextUInt64());
    }

    [Fact]
    public void NextBelow_stays_in_range_and_covers_it()
    {
        var rng = new Xoshiro256StarStar(42UL);
        var seen = new int[7];
        for (var i = 0; i < 7000; i++)
        {
            seen[rng.NextBelow(7)]++;
        }

        Assert.All(seen, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void The_miner_seed_is_blake2b_of_uid_window_and_salt_little_endian()
    {
        var seed = PageSampler.MinerSeed(7, 123, Salt);

        // Same value from Python: hashlib.blake2b(struct.pack('<IQ', 7, 123) + b'salt', digest_size=32).
        Assert.Equal("638a3956cbc9935f26266027f5b7dfaeeade1160f84af6767b92bd05ab84f801", Convert.ToHexStringLower(seed));
        byte[] manual = [7, 0, 0, 0, 123, 0, 0, 0, 0, 0, 0, 0, .. Salt];
        Assert.Equal(Blake2b.Hash256(manual), seed);
    }

    [Fact]
    public void Miner_pages_are_distinct_in_range_and_reproducible()
    {
        var sampler = new PageSampler(1000);

        var pages = sampler.MinerPages(3, 17, Salt, 50);

        Assert.Equal(50, pages.Distinct().Count());
        Assert.All(pages, p => Assert.InRange(p, 0, 999));
        Assert.Equal(pages, new PageSampler(1000).MinerPages(3, 17, Salt, 50));
    }

    [Fact]
    public void Miner_pages_change_with_uid_window_and_salt()
    {
        var sampler = new PageSampler(100_000);
        var basePages = sampler.MinerPages(3, 17, Salt, 8);

        Assert.NotEqual(basePages, sampler.MinerPages(4, 17, Salt, 8));
        Assert.NotEqual(basePages, sampler.MinerPages(3, 18, Salt, 8));
        Assert.NotEqual(basePages, sampler.MinerPages(3, 17, "salu"u8, 8));
    }

    [Fact]
    public void Drawing_every_page_gives_a_permutation()
    {
        var pages = new PageSampler(257).RandomPages([1, 2, 3], 257);

        Assert.Equal(Enumerable.Range(0, 257).Select(i => (long)i), pages.Order());
    }

    [Fact]
    public void A_shorter_draw_is_a_prefix_of_a_longer_one()
    {
        var sampler = new PageSampler(500);
        Assert.Equal(sampler.RandomPages([9], 10), sampler.RandomPages([9], 30).Take(10));
    }

    [Fact]
    public void Random_pages_depend_on_the_external_seed()
    {
        var sampler = new PageSampler(1_000_000);
        Assert.NotEqual(sampler.RandomPages([1], 4), sampler.RandomPages([2], 4));
        Assert.Equal(sampler.RandomPages([1], 4), sampler.RandomPages([1], 4));
    }

    [Fact]
    public void Pages_are_spread_evenly()
    {
        var counts = new int[10];
        for (ulong window = 0; window < 2000; window++)
        {
            foreach (var p in new PageSampler(10).MinerPages(1, window, Salt, 1))
            {
                counts[p]++;
            }
        }

        Assert.All(counts, c => Assert.InRange(c, 140, 260));
    }

    [Fact]
    public void Asking_for_more_pages_than_exist_fails_clearly()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PageSampler(5).MinerPages(1, 1, Salt, 6));
        Assert.Contains("5 pages", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PageSampler(0));
    }

    [Fact]
    public void A_paged_dataset_cuts_pages_and_batches_of_t_plus_1_tokens()
    {
        var tokens = Enumerable.Range(0, 100).ToArray();
        var data = new PagedDataset(tokens, sequenceLength: 4, sequencesPerPage: 2); // pages of 10 tokens

        Assert.Equal(10, data.PageCount);
        Assert.Equal(new[] { 30, 31, 32, 33, 34, 35, 36, 37, 38, 39 }, data.Page(3).ToArray());

        var batches = data.Batches([3, 0], batchSize: 3);

        // 4 sequences of 5 tokens: one full batch of 3 (B=3, T+1=5), the fourth sequence is dropped.
        var batch = Assert.Single(batches);
        Assert.Equal(new[] { 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 0, 1, 2, 3, 4 }, batch);
    }

    [Fact]
    public void A_dataset_smaller_than_a_page_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new PagedDataset(new int[9], 4, 2));
        Assert.Contains("fewer than one page", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PagedDataset(new int[100], 4, 2).Page(10));
    }

    [Fact]
    public void A_paged_dataset_loads_shards_end_to_end_in_order()
    {
        using var dir = new TempDirectory();
        TokenShard.Write(dir.File("a.bin"), Enumerable.Range(0, 7).ToArray());
        TokenShard.Write(dir.File("b.bin"), Enumerable.Range(7, 7).ToArray());

        var data = PagedDataset.Load([dir.File("a.bin"), dir.File("b.bin")], sequenceLength: 3, sequencesPerPage: 1);

        Assert.Equal(3, data.PageCount);
        Assert.Equal(new[] { 4, 5, 6, 7 }, data.Page(1).ToArray());
        Assert.Throws<TokenShardFormatException>(() => PagedDataset.Load([dir.File("b.bin")], 3, 1, vocabSize: 10));
    }
}
