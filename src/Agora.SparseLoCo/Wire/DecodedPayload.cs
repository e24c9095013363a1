using Agora.SparseLoCo.Codec;

namespace Agora.SparseLoCo.Wire;

/// <summary>A payload that passed every check: its header, its update, and the digest that was signed (and that the
/// sender commits on the ledger).</summary>
public sealed record DecodedPayload(PayloadHeader Header, CompressedUpdate Update, byte[] Digest, byte[] Signature);
