namespace Agora.Ledger.Consensus;

/// <summary>A Yuma scenario file is malformed; the message names the JSON path and what was expected.</summary>
public sealed class ScenarioFormatException : FormatException
{
    public ScenarioFormatException(string message)
        : base(message)
    {
    }

    public ScenarioFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
