using System.Collections.Immutable;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.State;

/// <summary>A coldkey or hotkey account: free TAO balance in rao and the next expected transaction nonce.</summary>
public sealed record Account(ulong Balance, ulong Nonce)
{
    public static readonly Account Empty = new(0, 0);
}

/// <summary>One stored weight or bond entry: target UID and u16 value.</summary>
public readonly record struct WeightEntry(ushort Uid, ushort Value);

/// <summary>A registered neuron (UID slot) on a subnet with its last epoch outputs (u16 proportions, alpha emission).</summary>
public sealed record Neuron(
    AccountId Hotkey,
    AccountId Coldkey,
    ulong RegisteredBlock,
    ulong LastUpdate,
    bool ValidatorPermit,
    ushort StakeWeight,
    ushort Rank,
    ushort Trust,
    ushort Consensus,
    ushort Incentive,
    ushort Dividends,
    ulong Emission);

/// <summary>A hotkey's alpha on one subnet held as a share pool: dividends raise <see cref="Alpha"/> without new shares, which pays nominators pro rata.</summary>
public sealed record HotkeyAlpha(ulong Alpha, UInt128 TotalShares);

/// <summary>A hash commitment of weights: BLAKE2b-256(hotkey ‖ netuid ‖ uids ‖ values ‖ salt), see <c>WeightCommitHash</c>.</summary>
public sealed record WeightCommit(Hash256 Hash, ulong CommitBlock, ulong CommitEpoch);

/// <summary>A hotkey's artifact commitment on a subnet: opaque data and the block that set it.</summary>
public sealed record ArtifactCommitment(ImmutableArray<byte> Data, ulong Block);

/// <summary>
/// A conviction lock of staked alpha. <see cref="ScoreQ64"/> is the conviction score (Q64, 1.0 = 2^64) at
/// <see cref="ScoreBlock"/>; it decays by 2^(−1/3) at every full interval after that block. A top-up merges the
/// score amount-weighted and moves <see cref="ScoreBlock"/> forward by whole intervals only, so the decay phase
/// never restarts. <see cref="AccruedWeight"/> is the time integral of the lock's conviction-weighted amount
/// (alpha-rao × blocks) since the last ownership boundary, counted up to
/// <see cref="AccruedThrough"/>; ownership compares these integrals (see ConvictionRules).
/// </summary>
public sealed record ConvictionLock(ulong Amount, ulong EndBlock, UInt128 ScoreQ64, ulong ScoreBlock, UInt128 AccruedWeight, ulong AccruedThrough);

public enum ProposalStatus : byte
{
    Voting = 1,
    Passed = 2,
    Rejected = 3,
    Enacted = 4,
}

/// <summary>
/// A governance proposal to set one global parameter. Weights are conviction-weighted TAO value in rao.
/// <see cref="Bond"/> TAO is held in escrow while the proposal is <see cref="ProposalStatus.Voting"/>; at the tally
/// it goes back to the proposer when quorum is reached and is burned otherwise.
/// </summary>
public sealed record Proposal(
    ulong Id,
    AccountId Proposer,
    GlobalParameter Parameter,
    ulong Value,
    ulong CreatedBlock,
    ulong VotingEndBlock,
    ulong ExecuteBlock,
    ProposalStatus Status,
    UInt128 YesWeight,
    UInt128 NoWeight,
    UInt128 TotalWeightAtTally,
    ulong Bond);

/// <summary>A vote. <see cref="Weight"/> is the voter's eligible weight when cast (informational): the tally weighs the voter's locks at the tally block.</summary>
public sealed record Vote(bool Approve, UInt128 Weight);

/// <summary>
/// A subnet with its Dynamic TAO pool. Prices are Q64 fixed point (value = bits / 2^64) in TAO per alpha.
/// Pending emission is alpha accrued each block and paid at the subnet's epoch.
/// </summary>
public sealed record Subnet(
    ushort Netuid,
    AccountId OwnerColdkey,
    AccountId OwnerHotkey,
    ulong RegisteredBlock,
    ulong FirstEmissionBlock,
    SubnetHyperparameters Hyper,
    ulong TaoReserve,
    ulong AlphaReserve,
    ulong AlphaIssuance,
    UInt128 EmaPriceQ64,
    ulong PendingServer,
    ulong PendingValidator,
    ulong PendingOwner,
    ulong Burn,
    ulong LastEpochBlock,
    ulong LastHyperparamChangeBlock,
    ulong LockedTao,
    ushort NeuronCount);

/// <summary>Immutable, hence shareable, weight/bond row.</summary>
public static class Rows
{
    public static readonly ImmutableArray<WeightEntry> Empty = ImmutableArray<WeightEntry>.Empty;
}
