namespace Agora.Gauntlet;

/// <summary>What the validator knows about a window from the ledger: its number, the block by which a payload must be
/// committed, and the evaluation seed that was unknown before that deadline (e.g. the deadline block's hash).</summary>
public sealed record WindowInfo(ulong Window, long DeadlineBlock, byte[] EvaluationSeed);

/// <summary>A registered miner: its UID and the hotkey that must sign its payloads.</summary>
public sealed record MinerEntry(uint Uid, byte[] Hotkey);

/// <summary>One weight the validator sets: <see cref="Weight"/> is normalised so the largest is 65535.</summary>
public readonly record struct UidWeight(uint Uid, ushort Weight);

/// <summary>
/// The only way the Gauntlet reaches the ledger: it hands over the weights of a window. The node implements it with
/// commit-reveal transactions; tests and the simulation record them.
/// </summary>
public interface IWeightSink
{
    void SetWeights(ulong window, IReadOnlyList<UidWeight> weights);
}
