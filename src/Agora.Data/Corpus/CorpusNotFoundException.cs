namespace Agora.Data;

/// <summary>No built-in corpus could be found; the message lists every place searched and how to pass --data.</summary>
public sealed class CorpusNotFoundException : Exception
{
    public CorpusNotFoundException(string message)
        : base(message)
    {
    }

    public CorpusNotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CorpusNotFoundException()
    {
    }
}
