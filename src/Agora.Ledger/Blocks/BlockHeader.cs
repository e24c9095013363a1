using Agora.Core.Serialization;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.Blocks;

/// <summary>What the producer proposes: height, parent hash, timestamp (ms, strictly increasing), producer (informational: fees are burned, nobody receives them).</summary>
public sealed record BlockHeader(ulong Height, Hash256 ParentHash, ulong Timestamp, AccountId Producer)
{
    public void Encode(CanonicalWriter w) => w.WriteU64(Height).WriteHash(ParentHash).WriteU64(Timestamp).WriteAccount(Producer);

    internal static BlockHeader Decode(ref CanonicalReader r) =>
        new(r.ReadU64("height"), r.ReadHash("parent_hash"), r.ReadU64("timestamp"), r.ReadAccount("producer"));
}
