using Agora.Core.Crypto;
using Agora.Core.Serialization;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.Transactions;

/// <summary>
/// An unsigned transaction. Canonical encoding (version 2): version u8 (2) ‖ signer (32) ‖ nonce u64 ‖ kind u8 ‖
/// body (u32 length, bytes) ‖ fee u64 ‖ valid_until u64. The signature covers "agora/tx" (u32 length, UTF-8) ‖
/// chain id (u32 length, UTF-8) ‖ genesis hash (32) ‖ that encoding, so a transaction signed for one chain is
/// invalid on every other, even one that reuses the chain id. It is refused at submission and at execution once
/// the block height passes <see cref="ValidUntil"/>. Version 1 (no valid-until, chain id only) is refused when
/// decoded: this chain has no v1 history to keep, and accepting it would bring back never-expiring, replayable
/// transactions.
/// </summary>
public sealed record Transaction(AccountId Signer, ulong Nonce, TxBody Body, ulong Fee, ulong ValidUntil)
{
    public const byte Version = 2;
    public const int MaxBodyBytes = 4_096;

    /// <summary>How many blocks past the current height clients let a transaction stay valid by default (about 20 minutes at 12 s blocks).</summary>
    public const ulong DefaultValidityBlocks = 100;

    /// <summary>Domain tag of transaction signatures, distinct from every other message a key signs.</summary>
    public const string SigningDomain = "agora/tx";

    /// <summary>The default valid-until for a transaction built when the chain is at <paramref name="currentHeight"/>.</summary>
    public static ulong DefaultValidUntil(ulong currentHeight) => currentHeight > ulong.MaxValue - DefaultValidityBlocks ? ulong.MaxValue : currentHeight + DefaultValidityBlocks;

    public TxKind Kind => Body.Kind;

    public void Encode(CanonicalWriter w)
    {
        w.WriteU8(Version).WriteAccount(Signer).WriteU64(Nonce).WriteU8((byte)Body.Kind);
        w.WriteBytes(Body.ToBytes());
        w.WriteU64(Fee).WriteU64(ValidUntil);
    }

    public byte[] ToBytes()
    {
        var w = new CanonicalWriter(128);
        Encode(w);
        return w.ToArray();
    }

    public static byte[] SigningMessage(string chainId, Hash256 genesisHash, ReadOnlySpan<byte> encodedTransaction)
    {
        var w = new CanonicalWriter(encodedTransaction.Length + 96);
        w.WriteString(SigningDomain).WriteString(chainId).WriteHash(genesisHash).WriteFixed(encodedTransaction);
        return w.ToArray();
    }

    public SignedTransaction Sign(Ed25519KeyPair key, string chainId, Hash256 genesisHash)
    {
        if (!key.PublicKey.AsSpan().SequenceEqual(Signer.ToBytes()))
        {
            throw new ArgumentException("The key does not belong to the transaction's signer.", nameof(key));
        }

        var signature = key.Sign(SigningMessage(chainId, genesisHash, ToBytes()));
        return new SignedTransaction(this, signature);
    }

    internal static Transaction Decode(ref CanonicalReader r)
    {
        var version = r.ReadU8("version");
        if (version != Version)
        {
            throw new EncodingException(version == 1
                ? $"Transaction version 1 is no longer accepted: sign a version {Version} transaction (it carries a valid-until height and is bound to the genesis hash)."
                : $"Transaction version {version} is not supported (expected {Version}).");
        }

        var signer = r.ReadAccount("signer");
        var nonce = r.ReadU64("nonce");
        var kind = (TxKind)r.ReadU8("kind");
        if (!Enum.IsDefined(kind))
        {
            throw new EncodingException($"Unknown transaction kind {(byte)kind}.");
        }

        var body = TxBody.Decode(kind, r.ReadBytes(MaxBodyBytes, "body"));
        var fee = r.ReadU64("fee");
        var validUntil = r.ReadU64("valid_until");
        return new Transaction(signer, nonce, body, fee, validUntil);
    }
}
