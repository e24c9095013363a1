namespace Agora.Ledger.Storage;

/// <summary>The database is unusable as it stands (corrupt, foreign, or from another chain); the message says what and where.</summary>
public sealed class LedgerStorageException : Exception
{
    public LedgerStorageException(string message) : base(message) { }

    public LedgerStorageException(string message, Exception inner) : base(message, inner) { }
}
