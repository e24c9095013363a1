namespace Agora.Ledger.Execution;

/// <summary>A transaction failed a rule. Thrown inside execution on a state copy, which is then discarded.</summary>
public sealed class TxRejectedException : Exception
{
    public TxRejectedException(TxCode code, string message) : base(message)
    {
        Code = code;
    }

    public TxRejectedException()
    {
    }

    public TxRejectedException(string message) : base(message)
    {
    }

    public TxRejectedException(string message, Exception inner) : base(message, inner)
    {
    }

    public TxCode Code { get; }
}
