namespace Agora.Ledger.Execution;

/// <summary>
/// Stable result codes of transactions. The numbers are part of the API (receipts, JSON-RPC errors):
/// never renumber, only append. A test pins them.
/// </summary>
public enum TxCode : ushort
{
    Ok = 0,
    Malformed = 1,
    BadSignature = 2,
    NonceStale = 3,
    NonceFuture = 4,
    InsufficientBalance = 5,
    FeeTooLow = 6,
    InvalidAmount = 7,

    /// <summary>The block height is past the transaction's valid-until height.</summary>
    Expired = 8,

    /// <summary>A registration's proof of possession is not a valid signature by the hotkey over its registration message.</summary>
    HotkeyProofInvalid = 9,
    UnknownSubnet = 10,
    UnknownUid = 11,
    HotkeyNotRegistered = 12,
    HotkeyAlreadyRegistered = 13,
    HotkeyOwnedByOther = 14,
    NotSubnetOwner = 15,
    SubnetLimitReached = 16,
    LockCostAboveLimit = 17,
    BurnAboveLimit = 18,
    SubnetFull = 19,
    InsufficientStake = 20,
    StakeLocked = 21,
    PoolLimit = 22,
    SlippageExceeded = 23,
    WeightsLengthMismatch = 30,
    DuplicateUid = 31,
    EmptyWeights = 32,
    RateLimited = 33,
    CommitRevealEnabled = 34,
    CommitRevealDisabled = 35,
    TooManyCommits = 36,
    NoMatchingCommit = 37,
    RevealTooEarly = 38,
    RevealExpired = 39,
    ParameterOutOfBounds = 40,
    HyperparameterRateLimited = 41,
    HyperparameterNearEpoch = 42,
    InvalidDuration = 50,
    NoConvictionWeight = 51,
    UnknownProposal = 52,
    VotingClosed = 53,
    TooManyProposals = 54,
    Overflow = 60,

    /// <summary>An unexpected fault inside a rule (a ledger bug). The transaction is dropped like any rejection, identically on every node.</summary>
    ExecutionFault = 61,

    /// <summary>An artifact commitment's data is longer than <c>SetCommitmentBody.MaxDataBytes</c>.</summary>
    CommitmentTooLarge = 70,

    /// <summary>A hotkey changed its artifact commitment again within <c>CommitmentRateLimit</c> blocks.</summary>
    CommitmentRateLimited = 71,
}
