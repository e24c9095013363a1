using System.Buffers.Binary;
using Agora.Core.Crypto;

namespace Agora.Data;

/// <summary>
/// Public, recomputable page assignment. A miner's pages for a window are drawn from
/// seed = BLAKE2b-256(uid as uint32 LE ‖ window as uint64 LE ‖ subnet salt bytes); evaluation pages from
/// seed = BLAKE2b-256("agora/eval-pages/v1" ‖ external seed bytes), e.g. the block hash at the window's deadline.
/// The seed drives <see cref="Xoshiro256StarStar"/>; <c>count</c> distinct pages are drawn by a partial
/// Fisher–Yates shuffle of [0, PageCount) (position i swaps with i + NextBelow(PageCount − i)), in draw order.
/// </summary>
public sealed class PageSampler
{
    private static readonly byte[] EvalDomain = "agora/eval-pages/v1"u8.ToArray();

    public PageSampler(long pageCount)
    {
        if (pageCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pageCount), pageCount, "A dataset needs at least one page to sample from.");
        }

        PageCount = pageCount;
    }

    public long PageCount { get; }

    /// <summary>The 32-byte seed of a miner's pages (exposed so validators and tests can check it).</summary>
    public static byte[] MinerSeed(uint uid, ulong window, ReadOnlySpan<byte> subnetSalt)
    {
        var prefix = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, uid);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix.AsSpan(4), window);
        return new Blake2b.Hasher().Update(prefix).Update(subnetSalt).Finish();
    }

    /// <summary>The 32-byte seed of evaluation pages drawn from an external seed (any length, e.g. a block hash).</summary>
    public static byte[] EvaluationSeed(ReadOnlySpan<byte> externalSeed) =>
        new Blake2b.Hasher().Update(EvalDomain).Update(externalSeed).Finish();

    /// <summary>The <paramref name="count"/> distinct pages a miner trains on in a window.</summary>
    public long[] MinerPages(uint uid, ulong window, ReadOnlySpan<byte> subnetSalt, int count) =>
        Draw(MinerSeed(uid, window, subnetSalt), count);

    /// <summary><paramref name="count"/> distinct evaluation pages from an external seed.</summary>
    public long[] RandomPages(ReadOnlySpan<byte> seedBytes, int count) => Draw(EvaluationSeed(seedBytes), count);

    private long[] Draw(byte[] seed, int count)
    {
        if (count < 0 || count > PageCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, $"Cannot draw {count} distinct pages from a dataset of {PageCount} pages; use more data or fewer pages.");
        }

        var rng = new Xoshiro256StarStar(seed);

        // Sparse Fisher–Yates: only the displaced positions are stored, so huge datasets cost O(count).
        var displaced = new Dictionary<long, long>();
        var pages = new long[count];
        for (var i = 0; i < count; i++)
        {
            var j = i + (long)rng.NextBelow((ulong)(PageCount - i));
            var atJ = displaced.TryGetValue(j, out var vj) ? vj : j;
            var atI = displaced.TryGetValue(i, out var vi) ? vi : i;
            pages[i] = atJ;
            displaced[j] = atI;
        }

        return pages;
    }
}
