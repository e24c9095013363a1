using System.Collections.Immutable;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.App;

/// <summary>Free balance, next nonce and every stake position of an account (as coldkey).</summary>
public sealed record AccountInfo(AccountId Account, ulong Balance, ulong Nonce, IReadOnlyList<StakeInfo> Stakes);

/// <summary>A coldkey's alpha staked to a hotkey on a subnet, its TAO value at spot and what is locked.</summary>
public sealed record StakeInfo(AccountId Hotkey, AccountId Coldkey, ushort Netuid, ulong Alpha, ulong TaoValueAtSpot, ulong Locked);

/// <summary>
/// Pool and price of a subnet. Prices are given as Q64 bits (exact) and as rao per whole alpha
/// (floor(price × 1e9)) for display without floating point.
/// </summary>
public sealed record PoolInfo(ushort Netuid, ulong TaoReserve, ulong AlphaReserve, UInt128 SpotPriceQ64, UInt128 EmaPriceQ64, ulong SpotPriceRao, ulong EmaPriceRao, ulong AlphaIssuance);

public sealed record SubnetInfo(
    ushort Netuid,
    AccountId OwnerColdkey,
    AccountId OwnerHotkey,
    ulong RegisteredBlock,
    ulong FirstEmissionBlock,
    SubnetHyperparameters Hyper,
    PoolInfo Pool,
    ulong PendingServer,
    ulong PendingValidator,
    ulong PendingOwner,
    ulong RegistrationBurn,
    ulong LastEpochBlock,
    ulong NextEpochBlock,
    ushort NeuronCount);

public sealed record NeuronInfo(
    ushort Uid,
    AccountId Hotkey,
    AccountId Coldkey,
    ulong Stake,
    ulong RegisteredBlock,
    ulong LastUpdate,
    bool Immune,
    bool ValidatorPermit,
    ushort StakeWeight,
    ushort Trust,
    ushort Consensus,
    ushort Incentive,
    ushort Dividends,
    ulong Emission,
    IReadOnlyList<WeightEntry> Weights);

public sealed record Metagraph(ushort Netuid, ulong Block, IReadOnlyList<NeuronInfo> Neurons);

public sealed record CommitmentInfo(ushort Netuid, AccountId Hotkey, Hash256 Hash, ulong CommitBlock, ulong CommitEpoch, ulong RevealEpoch);

/// <summary>A hotkey's artifact commitment on a subnet (SetCommitment), with its UID and the block that set it.</summary>
public sealed record ArtifactCommitmentInfo(ushort Netuid, AccountId Hotkey, ushort Uid, ImmutableArray<byte> Data, ulong Block);

public sealed record ProposalInfo(Proposal Proposal, IReadOnlyList<(AccountId Voter, Vote Vote)> Votes);
