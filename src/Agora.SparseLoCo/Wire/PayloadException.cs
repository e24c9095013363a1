namespace Agora.SparseLoCo.Wire;

/// <summary>The one exception the payload decoder throws: <see cref="Error"/> says which rule failed, the message says
/// where (byte offset, tensor) and what was expected.</summary>
public sealed class PayloadException : Exception
{
    public PayloadException(PayloadError error, string message)
        : base($"{error}: {message}")
    {
        Error = error;
    }

    public PayloadError Error { get; }
}
