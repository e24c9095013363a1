namespace Agora.Gauntlet.Simulation;

/// <summary>Behaviours of simulated miners.</summary>
public enum SimulatedMinerKind
{
    /// <summary>Real SparseLoCo updates from H inner AdamW steps on its own pages.</summary>
    Honest,

    /// <summary>Re-signs another miner's update (alternately exact and rescaled) and commits after it.</summary>
    Copycat,

    /// <summary>A random but validly framed payload.</summary>
    Noise,

    /// <summary>Trains on someone else's pages, with half the inner steps.</summary>
    Lazy,

    /// <summary>Rotates through a sign-flipped update, a huge scale and NaN quantization inside valid framing.</summary>
    Poison,

    /// <summary>Trains honestly but commits after the deadline.</summary>
    Late,

    /// <summary>Registered but never submits.</summary>
    Absent,
}

/// <summary>Parses a miner mix such as "honest:4,copycat:1,noise:1" into one kind per UID, in the order given.</summary>
public static class MinerMix
{
    public static IReadOnlyList<SimulatedMinerKind> Parse(string mix)
    {
        ArgumentNullException.ThrowIfNull(mix);
        var kinds = new List<SimulatedMinerKind>();
        foreach (string part in mix.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] pieces = part.Split(':');
            if (pieces.Length != 2 || !Enum.TryParse(pieces[0], ignoreCase: true, out SimulatedMinerKind kind) || !Enum.IsDefined(kind)
                || !int.TryParse(pieces[1], out int count) || count < 1 || count > 256)
            {
                throw new FormatException(
                    $"Miner mix entry \"{part}\" is not KIND:COUNT with COUNT in 1..256 and KIND one of {string.Join(", ", Enum.GetNames<SimulatedMinerKind>()).ToLowerInvariant()}.");
            }

            kinds.AddRange(Enumerable.Repeat(kind, count));
        }

        if (kinds.Count < 2)
        {
            throw new FormatException($"The miner mix \"{mix}\" gives {kinds.Count} miner(s); a window needs at least 2.");
        }

        if (kinds.Contains(SimulatedMinerKind.Copycat) && !kinds.Any(k => k is SimulatedMinerKind.Honest or SimulatedMinerKind.Lazy))
        {
            throw new FormatException("A copycat needs an honest or lazy miner to copy from.");
        }

        return kinds;
    }
}
