namespace Agora.Ledger.State;

/// <summary>
/// Chain-wide parameters that only a passed governance proposal can change (there is no admin key).
/// Values are part of the wire format: never renumber. None of them enters the emission split.
/// </summary>
public enum GlobalParameter : byte
{
    MaxSubnets = 1,
    MinLockCost = 2,
    LockReductionInterval = 3,
    SubnetImmunityBlocks = 4,
    GovernanceVotingPeriod = 5,
    GovernanceTimelock = 6,
    OwnershipMinAge = 7,
    MinTxFee = 8,
    ProposalBond = 9,
    CommitmentRateLimit = 10,
}
