using Agora.Core.FixedPoint;

namespace Agora.Ledger.Consensus;

/// <summary>One entry of a sparse I32F32 matrix row, as the epoch computes with them.</summary>
public readonly record struct FixedEntry(int Column, I32F32 Value);
