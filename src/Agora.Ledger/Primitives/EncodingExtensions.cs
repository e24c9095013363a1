using Agora.Core.Serialization;

namespace Agora.Ledger.Primitives;

/// <summary>Canonical encoding of the ledger's own key types (fixed 32 bytes, no prefix).</summary>
public static class EncodingExtensions
{
    public static CanonicalWriter WriteAccount(this CanonicalWriter writer, AccountId id)
    {
        Span<byte> buffer = stackalloc byte[AccountId.Length];
        id.WriteTo(buffer);
        return writer.WriteFixed(buffer);
    }

    public static CanonicalWriter WriteHash(this CanonicalWriter writer, Hash256 hash)
    {
        Span<byte> buffer = stackalloc byte[Hash256.Length];
        hash.WriteTo(buffer);
        return writer.WriteFixed(buffer);
    }

    public static AccountId ReadAccount(this ref CanonicalReader reader, string field = "account") =>
        new(reader.ReadFixed(AccountId.Length, field));

    public static Hash256 ReadHash(this ref CanonicalReader reader, string field = "hash") =>
        new(reader.ReadFixed(Hash256.Length, field));
}
