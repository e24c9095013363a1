using System.Buffers.Binary;
using Agora.Core.Crypto;

namespace Agora.Gauntlet.Scoring;

/// <summary>
/// Chooses which miners to score in a window: the least recently evaluated first (never-evaluated before all), ties
/// broken by a hash of (window, UID) so no UID is systematically favoured, yet every validator draws the same sample.
/// </summary>
public static class MinerSampler
{
    public static uint[] Sample(IReadOnlyList<uint> uids, Func<uint, long> lastEvaluatedWindow, ulong window, int count)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(lastEvaluatedWindow);
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The sample size cannot be negative.");
        }

        return [.. uids
            .Distinct()
            .OrderBy(lastEvaluatedWindow)
            .ThenBy(uid => TieBreak(window, uid))
            .ThenBy(uid => uid)
            .Take(count)
            .Order()];
    }

    private static ulong TieBreak(ulong window, uint uid)
    {
        Span<byte> input = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(input, window);
        BinaryPrimitives.WriteUInt32LittleEndian(input[8..], uid);
        return BinaryPrimitives.ReadUInt64LittleEndian(Blake2b.Hash256(input));
    }
}
