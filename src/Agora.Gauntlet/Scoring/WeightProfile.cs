namespace Agora.Gauntlet.Scoring;

/// <summary>
/// Turns final scores into weights: the best <c>count</c> positive finals get a linear profile by rank
/// (the best gets <c>count</c> parts, the next <c>count − 1</c>, …), normalised so the largest weight is 65535.
/// </summary>
public static class WeightProfile
{
    public static UidWeight[] Compute(IReadOnlyList<(uint Uid, double Final)> finals, int count)
    {
        ArgumentNullException.ThrowIfNull(finals);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        (uint Uid, double Final)[] ranked = [.. finals
            .Where(f => double.IsFinite(f.Final) && f.Final > 0)
            .OrderByDescending(f => f.Final)
            .ThenBy(f => f.Uid)
            .Take(count)];
        var weights = new UidWeight[ranked.Length];
        for (int r = 0; r < ranked.Length; r++)
        {
            double share = (double)(ranked.Length - r) / ranked.Length;
            weights[r] = new UidWeight(ranked[r].Uid, (ushort)Math.Max(1, Math.Round(share * ushort.MaxValue, MidpointRounding.ToEven)));
        }

        return [.. weights.OrderBy(w => w.Uid)];
    }
}
