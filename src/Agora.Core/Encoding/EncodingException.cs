namespace Agora.Core.Serialization;

/// <summary>Input bytes are not a canonical encoding of the expected value; the message says where and why.</summary>
public sealed class EncodingException : Exception
{
    public EncodingException(string message) : base(message)
    {
    }

    public EncodingException(string message, Exception inner) : base(message, inner)
    {
    }

    public EncodingException()
    {
    }
}
