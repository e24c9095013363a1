using Agora.Core.Crypto;
using Agora.Core.Serialization;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.Transactions;

/// <summary>
/// An unsigned transaction. Canonical encoding: version u8 (1) ‖ signer (32) ‖ nonce u64 ‖ kind u8 ‖
/// body (u32 length, bytes) ‖ fee u64. The signature covers chain id (u32 length, UTF-8) ‖ that encoding,
/// so a transaction signed for one chain is invalid on every other.
/// </summary>
public sealed record Transaction(AccountId Signer, ulong Nonce, TxBody Body, ulong Fee)
{
    public const byte Version = 1;
    public const int MaxBodyBytes = 4_096;

    public TxKind Kind => Body.Kind;

    public void Encode(CanonicalWriter w)
    {
        w.WriteU8(Version).WriteAccount(Signer).WriteU64(Nonce).WriteU8((byte)Body.Kind);
        w.WriteBytes(Body.ToBytes());
        w.WriteU64(Fee);
    }

    public byte[] ToBytes()
    {
        var w = new CanonicalWriter(128);
        Encode(w);
        return w.ToArray();
    }

    public static byte[] SigningMessage(string chainId, ReadOnlySpan<byte> encodedTransaction)
    {
        var w = new CanonicalWriter(encodedTransaction.Length + 32);
        w.WriteString(chainId).WriteFixed(encodedTransaction);
        return w.ToArray();
    }

    public SignedTransaction Sign(Ed25519KeyPair key, string chainId)
    {
        if (!key.PublicKey.AsSpan().SequenceEqual(Signer.ToBytes()))
        {
            throw new ArgumentException("The key does not belong to the transaction's signer.", nameof(key));
        }

        var signature = key.Sign(SigningMessage(chainId, ToBytes()));
        return new SignedTransaction(this, signature);
    }

    internal static Transaction Decode(ref CanonicalReader r)
    {
        var version = r.ReadU8("version");
        if (version != Version)
        {
            throw new EncodingException($"Transaction version {version} is not supported (expected {Version}).");
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
        return new Transaction(signer, nonce, body, fee);
    }
}
