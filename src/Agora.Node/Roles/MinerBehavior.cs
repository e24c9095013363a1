namespace Agora.Node.Roles;

/// <summary>
/// How a miner behaves. Everything but <see cref="Honest"/> is a devnet adversary modelled on the Gauntlet
/// simulation's miner kinds, so the real validator can be watched refusing to pay them.
/// </summary>
public enum MinerBehavior
{
    Honest,

    /// <summary>Re-signs another miner's update instead of training.</summary>
    Copycat,

    /// <summary>Validly framed and signed payload of random indices and codes (a compressed Gaussian Δ).</summary>
    Noise,

    /// <summary>Its honest Δ, sign-flipped and scaled by <see cref="MinerBehaviors.PoisonScale"/>.</summary>
    Poison,

    /// <summary>One inner step on another UID's pages.</summary>
    Lazy,

    /// <summary>Trains honestly but commits after the window's deadline.</summary>
    Late,

    /// <summary>
    /// Commits a store URI no peer may open (<see cref="MinerBehaviors.HostileUris"/>, one per window in turn: another
    /// scheme, S3 without credentials, /proc, a directory outside the peer store root): peers must mark it invalid for
    /// the window, keep running and create nothing. It sends a noise payload to its own store, which nobody can reach.
    /// </summary>
    HostileUri,
}

/// <summary>Names of <see cref="MinerBehavior"/> on the command line (`agora miner --behavior`, `agora devnet --adversary`).</summary>
public static class MinerBehaviors
{
    public const float PoisonScale = -1000f;

    /// <summary>The store URIs a <see cref="MinerBehavior.HostileUri"/> miner commits, window w using entry w mod count.</summary>
    public static IReadOnlyList<string> HostileUris { get; } =
        ["ftp://hostile.invalid/x", "s3://hostile-bucket", "file:///proc/self/fd", "file:///tmp/agora-hostile-uri/never-created"];

    /// <summary>Every behavior name, honest first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<MinerBehavior>().Select(Name)];

    /// <summary>The adversarial kinds `agora devnet --adversary` accepts.</summary>
    public static IReadOnlyList<string> AdversaryNames { get; } = [.. Names.Where(n => n != "honest")];

    public static string Name(MinerBehavior behavior) => behavior == MinerBehavior.HostileUri ? "hostile-uri" : behavior.ToString().ToLowerInvariant();

    /// <summary>Parses a behavior name; throws <see cref="ArgumentException"/> listing the valid names.</summary>
    public static MinerBehavior Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var b in Enum.GetValues<MinerBehavior>())
        {
            if (Name(b) == name)
            {
                return b;
            }
        }

        throw new ArgumentException($"Unknown miner behavior '{name}'; valid: {string.Join(", ", Names)}.");
    }

    /// <summary>Parses an adversary kind (any behavior but honest); throws <see cref="ArgumentException"/> listing the valid kinds.</summary>
    public static MinerBehavior ParseAdversary(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!AdversaryNames.Contains(kind))
        {
            throw new ArgumentException($"Unknown adversary '{kind}'; valid kinds: {string.Join(", ", AdversaryNames)}.");
        }

        return Parse(kind);
    }
}
