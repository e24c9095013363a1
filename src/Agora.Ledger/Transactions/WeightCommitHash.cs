using Agora.Core.Serialization;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.Transactions;

/// <summary>
/// The commit-reveal hash: BLAKE2b-256 over the canonical encoding of
/// hotkey (32 bytes) ‖ netuid (u16 LE) ‖ uids (u32 count, u16 LE each) ‖ values (same) ‖ salt (u32 length, bytes).
/// </summary>
public static class WeightCommitHash
{
    public static Hash256 Compute(AccountId hotkey, ushort netuid, IReadOnlyList<ushort> uids, IReadOnlyList<ushort> values, ReadOnlySpan<byte> salt)
    {
        var w = new CanonicalWriter(128).WriteAccount(hotkey).WriteU16(netuid);
        w.WriteU32((uint)uids.Count);
        foreach (var u in uids)
        {
            w.WriteU16(u);
        }

        w.WriteU32((uint)values.Count);
        foreach (var v in values)
        {
            w.WriteU16(v);
        }

        w.WriteBytes(salt);
        return Hash256.Of(w.WrittenSpan);
    }
}
