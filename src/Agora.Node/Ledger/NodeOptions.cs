using System.Net;
using Agora.Ledger.Primitives;
using Agora.Node.Http;

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

    /// <summary>Dropped transactions whose reason get_receipt still reports; older ones read "unknown". Bounded: the memory
    /// grows with every transaction the node drops, and anyone may submit transactions.</summary>
    public int MaxDroppedRemembered { get; init; } = 10_000;

    /// <summary>The address the JSON-RPC server listens on (with <see cref="Port"/>): loopback unless the operator chooses
    /// another. Host headers naming it are accepted besides loopback ones; every limit applies on any address.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Connection, stream and request-rate caps of the JSON-RPC server.</summary>
    public HttpLimits Limits { get; init; } = HttpLimits.Default;
}
