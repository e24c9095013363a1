namespace Agora.Data;

/// <summary>Counts for one split. Bytes are UTF-8 bytes of text documents (0 for pre-tokenized shards).</summary>
public sealed record SplitSummary(string Name, int Documents, long Bytes, long Tokens, IReadOnlyList<string> Shards)
{
    /// <summary>UTF-8 bytes per token (text documents only), or 0 when there is no text.</summary>
    public double BytesPerToken => Tokens == 0 || Bytes == 0 ? 0 : (double)Bytes / Tokens;
}
