using Agora.Artifacts;
using Agora.SparseLoCo.Aggregation;
using Agora.SparseLoCo.Wire;

namespace Agora.Node.Roles;

/// <summary>
/// A peer's view of the other peers: their commitments on the board (resolved to UIDs through the ledger) and their
/// artifact stores, opened by the URI they committed and read with a size cap.
/// <para>
/// Every URI comes from another neuron and is hostile until checked: <see cref="Open"/> lets <paramref name="policy"/>
/// decide (allowed schemes, file stores only under the operator's root, read-only, symbolic links resolved) and never
/// throws; a refused store fails every read, which the readers below turn into "that peer is invalid for the window".
/// </para>
/// </summary>
public sealed class PeerNetwork(SubnetSetup setup, ISubnetLedger ledger, ICommitmentBoard board, PeerStorePolicy policy, Action<string>? log = null)
{
    /// <summary>Distinct stores kept open; a flood of distinct URIs beyond this reopens them instead of growing memory.</summary>
    private const int MaxOpenStores = 1024;

    private readonly Dictionary<string, IArtifactStore> _stores = new(StringComparer.Ordinal);
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);
    private readonly Action<string> _log = log ?? (m => Console.Error.WriteLine(m));

    public ISubnetLedger Ledger => ledger;

    public ICommitmentBoard Board => board;

    public PeerStorePolicy Policy => policy;

    /// <summary>The store <paramref name="uri"/> names, if the policy allows it; otherwise a store that refuses every read (logged once).</summary>
    public IArtifactStore Open(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!_stores.TryGetValue(uri, out var store))
        {
            if (!policy.TryOpen(uri, out store, out var reason))
            {
                Log($"peer store refused: {PeerStorePolicy.Printable(uri)}: {reason}");
            }

            if (_stores.Count >= MaxOpenStores)
            {
                _stores.Clear();
            }

            _stores[uri] = store;
        }

        return store;
    }

    /// <summary>Reports a refused peer input once per distinct message (a hostile peer repeats itself every window).</summary>
    public void Log(string message)
    {
        if (_logged.Count < 10_000 && _logged.Add(message))
        {
            _log(message);
        }
    }

    /// <summary>Registered neurons' commitments of <paramref name="kind"/>, with their UIDs, in UID order.</summary>
    public async Task<IReadOnlyList<(NeuronView Neuron, RoleCommitment Commitment, ulong Block)>> CommitmentsAsync(RoleKind kind, CancellationToken ct)
    {
        var neurons = ledger.Neurons(setup.Netuid).ToDictionary(n => Convert.ToHexStringLower(n.Hotkey), StringComparer.Ordinal);
        var found = new List<(NeuronView, RoleCommitment, ulong)>();
        foreach (var entry in await board.ReadAsync(setup.Netuid, ct).ConfigureAwait(false))
        {
            if (neurons.TryGetValue(Convert.ToHexStringLower(entry.Hotkey), out var neuron) && RoleCommitment.TryDecode(entry.Data) is { } c && c.Kind == kind)
            {
                found.Add((neuron, c, entry.Block));
            }
        }

        return [.. found.OrderBy(f => f.Item1.Uid)];
    }

    /// <summary>
    /// How many windows a validator may publish no selection before peers stop following it: a lead that is down (or far
    /// behind after a restart) loses the lead to the next live validator, and takes it back once it has caught up.
    /// </summary>
    public const int LeadSilenceWindows = 3;

    private readonly HashSet<(string Store, ulong Window)> _live = [];

    /// <summary>The store of the lead validator (see <see cref="LeadValidatorAsync"/>), or null when none has published yet.</summary>
    public async Task<IArtifactStore?> LeadValidatorStoreAsync(CancellationToken ct) =>
        (await LeadValidatorAsync(ct).ConfigureAwait(false))?.Store;

    /// <summary>
    /// The lead validator, whose selections every miner and validator applies so θ stays identical everywhere: of the
    /// live validators (those that published a selection for one of the last <see cref="LeadSilenceWindows"/> windows),
    /// the one with the most stake, then the lowest UID; when none is live (a new or resumed subnet), the same rule over
    /// all of them. Every peer applies the same rule to the same stores, so they agree except for the moment a validator
    /// goes silent or catches up, which the miners' repair and the lead's checkpoints settle. <paramref name="excluding"/>
    /// leaves one UID out (a validator looking for someone else to start from). Null when none has published yet.
    /// </summary>
    public async Task<(ushort Uid, IArtifactStore Store)?> LeadValidatorAsync(CancellationToken ct, ushort? excluding = null)
    {
        var validators = (await CommitmentsAsync(RoleKind.Validator, ct).ConfigureAwait(false))
            .Where(v => v.Neuron.Uid != excluding).OrderByDescending(v => v.Neuron.Stake).ThenBy(v => v.Neuron.Uid).ToList();
        if (validators.Count == 0)
        {
            return null;
        }

        var window = setup.Clock.WindowOf(ledger.Height);
        foreach (var v in validators)
        {
            if (await IsLiveAsync(v.Commitment.Store, window, ct).ConfigureAwait(false))
            {
                return (v.Neuron.Uid, Open(v.Commitment.Store));
            }
        }

        return (validators[0].Neuron.Uid, Open(validators[0].Commitment.Store));
    }

    /// <summary>Whether the store holds a selection for one of the <see cref="LeadSilenceWindows"/> windows before <paramref name="window"/>.</summary>
    private async Task<bool> IsLiveAsync(string uri, ulong window, CancellationToken ct)
    {
        if (_live.Contains((uri, window)))
        {
            return true;
        }

        var store = Open(uri);
        for (var w = window; w > 0 && w + LeadSilenceWindows > window; w--)
        {
            try
            {
                if (await store.ExistsAsync(Publication.SelectionKey(w - 1), ct).ConfigureAwait(false))
                {
                    // Once live for a window, always live for it: at most one look per store and window while it is.
                    _live.RemoveWhere(l => l.Store == uri && l.Window < window);
                    _live.Add((uri, window));
                    return true;
                }
            }
            catch (Exception e) when (IsPeerFailure(e, ct))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Fetches and checks the payloads of a selection and aggregates them in UID order, as every peer does. Returns the
    /// aggregate and the payloads it holds (in UID order); null when none could be used or, unless
    /// <paramref name="skipInvalid"/> (a miner aggregating "all valid payloads"), any payload fails its checks (the caller
    /// then falls back to the published aggregate).
    /// </summary>
    public async Task<(float[] Aggregate, IReadOnlyList<SelectedPayload> Used)?> AggregateSelectionAsync(IReadOnlyList<SelectedPayload> selection, ulong window,
        SparseAggregator aggregator, CancellationToken ct, bool skipInvalid = false)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(aggregator);
        var decoded = new List<DecodedPayload>();
        var used = new List<SelectedPayload>();
        foreach (var s in selection.OrderBy(s => s.Uid))
        {
            if (await FetchPayloadAsync(s, window, ct).ConfigureAwait(false) is { } payload)
            {
                decoded.Add(payload);
                used.Add(s);
            }
            else if (!skipInvalid)
            {
                return null;
            }
        }

        return decoded.Count == 0 ? null : (aggregator.Aggregate(decoded), used);
    }

    /// <summary>Reads a float32 vector of exactly <paramref name="length"/> values (θ, an aggregate, a checkpoint); null when
    /// it is absent, unreadable or of another size.</summary>
    public static async Task<float[]?> TryGetVectorAsync(IArtifactStore store, string key, int length, CancellationToken ct)
    {
        var bytes = await TryGetAsync(store, key, 4L * length, ct).ConfigureAwait(false);
        return bytes is not null && bytes.Length == 4L * length ? Publication.DecodeVector(bytes, length) : null;
    }

    /// <summary>The newest readable checkpoint in <paramref name="store"/> at or before <paramref name="window"/>, or null.</summary>
    public static async Task<(float[] Theta, ulong Window)?> NewestCheckpointAsync(IArtifactStore store, ulong window, int length, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        IReadOnlyList<string> keys;
        try
        {
            keys = await store.ListAsync(Publication.CheckpointPrefix, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsPeerFailure(e, ct))
        {
            return null;
        }

        var windows = keys.Select(Publication.CheckpointWindow).Where(w => w is not null && w <= window).Select(w => w!.Value);
        foreach (var c in windows.OrderDescending())
        {
            if (await TryGetVectorAsync(store, Publication.CheckpointKey(c), length, ct).ConfigureAwait(false) is { } theta)
            {
                return (theta, c);
            }
        }

        return null;
    }

    /// <summary>Reads an object, or null when it is absent or unreadable for any reason (refused store, I/O, network,
    /// credentials, size): a peer's store failing is that peer's problem, never the reader's.</summary>
    public static async Task<byte[]?> TryGetAsync(IArtifactStore store, string key, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            return await store.GetAsync(key, maxBytes, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsPeerFailure(e, ct))
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="e"/> from reading a peer's store is the peer's failure (anything but our own cancellation or running out of memory).</summary>
    public static bool IsPeerFailure(Exception e, CancellationToken ct) =>
        e is not OutOfMemoryException && !(e is OperationCanceledException && ct.IsCancellationRequested);

    /// <summary>Fetches and fully checks one payload (size cap, committed digest, signature, window, UID); null when any check fails.</summary>
    public async Task<DecodedPayload?> FetchPayloadAsync(SelectedPayload p, ulong window, CancellationToken ct)
    {
        var bytes = await TryGetAsync(Open(p.Store), p.Key, setup.Expectation.MaxBytes, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            var decoded = PayloadDecoder.Decode(bytes, setup.Expectation with { Window = window, Uid = p.Uid }, p.Hotkey);
            return decoded.Digest.AsSpan().SequenceEqual(p.Digest) ? decoded : null;
        }
        catch (PayloadException)
        {
            return null;
        }
    }
}
