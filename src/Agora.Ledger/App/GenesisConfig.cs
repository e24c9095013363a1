using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.App;

/// <summary>A subnet that exists from genesis: its pool is seeded with <see cref="LockTao"/> (minted at genesis) at price 1.</summary>
public sealed record GenesisSubnet(AccountId OwnerColdkey, AccountId OwnerHotkey, ulong LockTao, SubnetHyperparameters Hyper);

/// <summary>Everything that defines a chain at height 0.</summary>
public sealed record GenesisConfig
{
    public required string ChainId { get; init; }

    /// <summary>Milliseconds; the first block's timestamp must be later.</summary>
    public ulong GenesisTimestamp { get; init; }

    public IReadOnlyList<(AccountId Account, ulong Balance)> Balances { get; init; } = [];

    public GlobalParameters Params { get; init; } = new();

    public IReadOnlyList<GenesisSubnet> Subnets { get; init; } = [];
}
