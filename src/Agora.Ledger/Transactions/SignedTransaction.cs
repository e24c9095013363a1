using Agora.Core.Crypto;
using Agora.Core.Serialization;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.Transactions;

/// <summary>A transaction with its Ed25519 signature. Wire format: transaction encoding ‖ signature (64 bytes).</summary>
public sealed record SignedTransaction(Transaction Tx, byte[] Signature)
{
    public const int MaxBytes = 8_192;

    public byte[] ToBytes()
    {
        var w = new CanonicalWriter(192);
        Tx.Encode(w);
        w.WriteFixed(Signature);
        return w.ToArray();
    }

    /// <summary>Transaction id: BLAKE2b-256 of the signed wire bytes.</summary>
    public Hash256 Id => Hash256.Of(ToBytes());

    /// <summary>Strict decode; throws <see cref="EncodingException"/> on any malformed, short or trailing data.</summary>
    public static SignedTransaction Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new EncodingException($"Transaction is {bytes.Length} bytes; the limit is {MaxBytes}.");
        }

        var r = new CanonicalReader(bytes);
        var tx = Transaction.Decode(ref r);
        var signature = r.ReadFixed(Ed25519KeyPair.SignatureSize, "signature");
        r.EnsureEnd("transaction");
        return new SignedTransaction(tx, signature);
    }

    public bool VerifySignature(string chainId, Hash256 genesisHash) =>
        Ed25519.Verify(Tx.Signer.ToBytes(), Transaction.SigningMessage(chainId, genesisHash, Tx.ToBytes()), Signature);
}
