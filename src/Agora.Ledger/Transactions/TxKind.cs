namespace Agora.Ledger.Transactions;

/// <summary>Transaction kinds. The byte values are the wire format: never renumber, only append.</summary>
public enum TxKind : byte
{
    Transfer = 1,
    CreateSubnet = 2,
    Register = 3,
    AddStake = 4,
    RemoveStake = 5,
    SetWeights = 6,
    CommitWeights = 7,
    RevealWeights = 8,
    SetSubnetHyperparameter = 9,
    Lock = 10,
    Propose = 11,
    Vote = 12,

    /// <summary>A registered hotkey publishes a small artifact commitment on its subnet (not a weight commit).</summary>
    SetCommitment = 13,
}
