using Agora.Ledger.Primitives;

namespace Agora.Node.Ledger;

/// <summary>How a ledger node runs. <see cref="DataDirectory"/> holds ledger.db and genesis.json.</summary>
public sealed record NodeOptions
{
    public required string DataDirectory { get; init; }

    /// <summary>0 lets the OS pick a free port (the node prints the one it got).</summary>
    public int Port { get; init; } = 9944;

    public TimeSpan BlockTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A state snapshot is stored after every block whose height is a multiple of this.</summary>
    public ulong SnapshotEvery { get; init; } = 100;

    /// <summary>Named in produced block headers; receives nothing (fees are burned).</summary>
    public AccountId Producer { get; init; } = AccountId.Zero;

    public int MaxMempool { get; init; } = 10_000;
}
