using System.Buffers.Binary;
using System.Numerics;

namespace Agora.Data;

/// <summary>
/// xoshiro256** (Blackman and Vigna, 2018, https://prng.di.unimi.it/): the PRNG behind every public page draw.
/// State = four uint64 words. Seeding from bytes reads the first 32 bytes as four little-endian uint64 words;
/// an all-zero state (the one state the generator cannot leave) is replaced by SplitMix64 outputs of 0.
/// </summary>
public sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Seeds from exactly 32 bytes (e.g. a BLAKE2b-256 digest).</summary>
    public Xoshiro256StarStar(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != 32)
        {
            throw new ArgumentException($"xoshiro256** needs a 32-byte seed; got {seed32.Length} bytes.", nameof(seed32));
        }

        _s0 = BinaryPrimitives.ReadUInt64LittleEndian(seed32);
        _s1 = BinaryPrimitives.ReadUInt64LittleEndian(seed32[8..]);
        _s2 = BinaryPrimitives.ReadUInt64LittleEndian(seed32[16..]);
        _s3 = BinaryPrimitives.ReadUInt64LittleEndian(seed32[24..]);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            ulong x = 0;
            _s0 = SplitMix64(ref x);
            _s1 = SplitMix64(ref x);
            _s2 = SplitMix64(ref x);
            _s3 = SplitMix64(ref x);
        }
    }

    /// <summary>Seeds from one uint64 by expanding it with SplitMix64 (the seeding the xoshiro authors recommend).</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, bound) without modulo bias (rejects draws from the incomplete top block).</summary>
    public ulong NextBelow(ulong bound)
    {
        if (bound == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "The bound must be positive.");
        }

        // Largest multiple of bound that fits: values at or above it would favour small results.
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong x;
        do
        {
            x = NextUInt64();
        }
        while (x >= limit);
        return x % bound;
    }

    /// <summary>Uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
