using Agora.Node.Roles;

namespace Agora.Node.Devnet;

/// <summary>The kinds `agora devnet --adversary` accepts: every adversarial miner behavior, and <see cref="FlashGov"/>.</summary>
public static class DevnetAdversaries
{
    /// <summary>Not a miner: a governance attacker the supervisor runs in-process (<see cref="GovernanceAttacker"/>).</summary>
    public const string FlashGov = "flash-gov";

    public static IReadOnlyList<string> Names { get; } = [.. MinerBehaviors.AdversaryNames, FlashGov];

    /// <summary>Throws <see cref="ArgumentException"/> naming the valid kinds unless <paramref name="kind"/> is one.</summary>
    public static void Validate(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!Names.Contains(kind))
        {
            throw new ArgumentException($"Unknown adversary '{kind}'; valid kinds: {string.Join(", ", Names)}.");
        }
    }
}
