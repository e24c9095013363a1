namespace Agora.Ledger.Consensus;

/// <summary>One stored entry of a sparse u16 matrix row (weights or bonds): the target UID and its u16 value.</summary>
public readonly record struct SparseEntry(ushort Column, ushort Value);
