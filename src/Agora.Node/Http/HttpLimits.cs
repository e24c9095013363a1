namespace Agora.Node.Http;

/// <summary>
/// Caps on what one client, and all clients together, may hold of an HTTP endpoint (the node's JSON-RPC server and the
/// devnet dashboard). A client is a remote IPv4 address or IPv6 /64 (one host can trivially hold a whole /64). Loopback
/// clients are limited like any other: every local role shares 127.0.0.1, so the defaults leave room for a devnet.
/// Anything over a cap is answered HTTP 429 with a JSON error and changes nothing.
/// </summary>
public sealed record HttpLimits
{
    public static readonly HttpLimits Default = new();

    /// <summary>Open connections from all clients together; more are answered 429 and closed.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>Open connections from one client.</summary>
    public int MaxConnectionsPerClient { get; init; } = 128;

    /// <summary>Open <c>/blocks</c> event streams from all clients together.</summary>
    public int MaxStreams { get; init; } = 256;

    /// <summary>Open <c>/blocks</c> event streams from one client.</summary>
    public int MaxStreamsPerClient { get; init; } = 32;

    /// <summary>Requests one client may make per second, sustained (a token bucket refilled every second). A devnet's roles
    /// all share 127.0.0.1 and each polls the node four times a second with a handful of calls, far below this.</summary>
    public int RequestsPerSecondPerClient { get; init; } = 1000;

    /// <summary>Requests one client may make at once after being idle (the bucket's size).</summary>
    public int RequestBurstPerClient { get; init; } = 2000;

    /// <summary>How long a client may take to send its request headers (slow-header connections hold a slot no longer).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first cap that is not positive.</summary>
    public void Validate()
    {
        Positive(MaxConnections, nameof(MaxConnections));
        Positive(MaxConnectionsPerClient, nameof(MaxConnectionsPerClient));
        Positive(MaxStreams, nameof(MaxStreams));
        Positive(MaxStreamsPerClient, nameof(MaxStreamsPerClient));
        Positive(RequestsPerSecondPerClient, nameof(RequestsPerSecondPerClient));
        Positive(RequestBurstPerClient, nameof(RequestBurstPerClient));
        if (RequestHeadersTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestHeadersTimeout), RequestHeadersTimeout, "The request headers timeout must be positive.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
