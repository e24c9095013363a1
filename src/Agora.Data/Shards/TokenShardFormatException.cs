namespace Agora.Data;

/// <summary>A token shard that is not a valid llm.c-layout file; the message names the file and the defect.</summary>
public sealed class TokenShardFormatException : Exception
{
    public TokenShardFormatException(string message)
        : base(message)
    {
    }

    public TokenShardFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TokenShardFormatException()
    {
    }
}
