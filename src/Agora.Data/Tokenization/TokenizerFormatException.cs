namespace Agora.Data;

/// <summary>A tokenizer file that cannot be used; the message names the file and what is wrong with it.</summary>
public sealed class TokenizerFormatException : Exception
{
    public TokenizerFormatException(string message)
        : base(message)
    {
    }

    public TokenizerFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TokenizerFormatException()
    {
    }
}
