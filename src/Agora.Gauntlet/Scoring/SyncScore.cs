using System.Buffers.Binary;
using Agora.Core.Crypto;

namespace Agora.Gauntlet.Scoring;

/// <summary>
/// How closely a miner follows the global weights: it reports θ at a few public positions; the distance to the
/// validator's θ, in units of the recent outer step, is x; sync = (1 − min(x, cap)/cap)^exponent.
/// </summary>
public static class SyncScore
{
    /// <summary>The positions sampled in <paramref name="window"/>, derived from the window alone so miners can report them.</summary>
    public static int[] SampleIndices(ulong window, int parameterCount, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Span<byte> seed = stackalloc byte[16];
        "agsync01"u8.CopyTo(seed);
        BinaryPrimitives.WriteUInt64LittleEndian(seed[8..], window);
        byte[] digest = Blake2b.Hash256(seed);
        ulong state = BinaryPrimitives.ReadUInt64LittleEndian(digest);
        var indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            indices[i] = (int)(z % (ulong)parameterCount);
        }

        return indices;
    }

    /// <summary>The distance x: mean |sample − θ| over the mean |outer step| at the sampled positions.</summary>
    public static double Distance(ReadOnlySpan<float> sample, ReadOnlySpan<float> theta, ReadOnlySpan<float> outerStep, ReadOnlySpan<int> indices, double cap)
    {
        if (sample.Length != indices.Length)
        {
            throw new ArgumentException($"The parameter sample has {sample.Length} values; {indices.Length} were asked for.");
        }

        double difference = 0;
        double step = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            if (!float.IsFinite(sample[i]))
            {
                return cap;
            }

            difference += Math.Abs((double)sample[i] - theta[indices[i]]);
            step += outerStep.IsEmpty ? 0 : Math.Abs((double)outerStep[indices[i]]);
        }

        if (step == 0)
        {
            return difference == 0 ? 0 : cap;
        }

        return difference / step;
    }

    public static double FromDistance(double x, double cap, double exponent) =>
        Math.Pow(1 - (Math.Min(x, cap) / cap), exponent);
}
