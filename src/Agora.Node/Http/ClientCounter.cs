namespace Agora.Node.Http;

/// <summary>Counts what each client holds open (connections, streams) against a per-client and a total cap. Entries of
/// clients that hold nothing are removed, so the table never outgrows the total cap.</summary>
internal sealed class ClientCounter(int perClient, int total)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private int _total;

    public int Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Takes a slot for <paramref name="client"/>; null when the client or everyone together is at the cap, with
    /// <paramref name="refusal"/> saying which.</summary>
    public IDisposable? TryEnter(string client, out string refusal)
    {
        lock (_gate)
        {
            if (_total >= total)
            {
                refusal = $"the server holds its maximum of {total} for all clients";
                return null;
            }

            var mine = _held.GetValueOrDefault(client);
            if (mine >= perClient)
            {
                refusal = $"this client holds its maximum of {perClient}";
                return null;
            }

            _held[client] = mine + 1;
            _total++;
            refusal = string.Empty;
            return new Slot(this, client);
        }
    }

    private void Exit(string client)
    {
        lock (_gate)
        {
            _total--;
            var mine = _held[client] - 1;
            if (mine == 0)
            {
                _held.Remove(client);
            }
            else
            {
                _held[client] = mine;
            }
        }
    }

    private sealed class Slot(ClientCounter owner, string client) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Exit(client);
            }
        }
    }
}
