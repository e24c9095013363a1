using Agora.Artifacts;
using Agora.SparseLoCo.Aggregation;
using Agora.SparseLoCo.Wire;

namespace Agora.Node.Roles;

/// <summary>
/// A peer's view of the other peers: their commitments on the board (resolved to UIDs through the ledger) and their
/// artifact stores, opened by the URI they committed and read with a size cap.
/// </summary>
public sealed class PeerNetwork(SubnetSetup setup, ISubnetLedger ledger, ICommitmentBoard board)
{
    /// <summary>Stores kept open at once. The URIs come from on-chain commitments anyone may write, so the cache forgets
    /// the least recently used store rather than growing with every URI ever committed (a forgotten one is reopened).</summary>
    public const int MaxOpenStores = 1024;

    private readonly BoundedCache<string, IArtifactStore> _stores = new(MaxOpenStores, StringComparer.Ordinal);

    /// <summary>Stores open in the cache now (at most <see cref="MaxOpenStores"/>).</summary>
    public int OpenStores => _stores.Count;

    public ISubnetLedger Ledger => ledger;

    public ICommitmentBoard Board => board;

    public IArtifactStore Open(string uri)
    {
        if (!_stores.TryGetValue(uri, out var store))
        {
            // FileArtifactStore.Location ends in '/', which its own URI parser would keep in the root path.
            store = ArtifactStoreUri.Open(uri.Length > 8 && uri.EndsWith('/') ? uri.TrimEnd('/') : uri);
            _stores.Set(uri, store);
        }

        return store;
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
                    // Only the current window's entries are kept, so the set never outgrows the validators of one window.
                    _live.RemoveWhere(l => l.Window < window);
                    _live.Add((uri, window));
                    return true;
                }
            }
            catch (Exception e) when (e is ArtifactStoreException or IOException)
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
        var windows = (await store.ListAsync(Publication.CheckpointPrefix, ct).ConfigureAwait(false))
            .Select(Publication.CheckpointWindow).Where(w => w is not null && w <= window).Select(w => w!.Value);
        foreach (var c in windows.OrderDescending())
        {
            if (await TryGetVectorAsync(store, Publication.CheckpointKey(c), length, ct).ConfigureAwait(false) is { } theta)
            {
                return (theta, c);
            }
        }

        return null;
    }

    /// <summary>Reads an object, or null when it is absent or unreadable.</summary>
    public static async Task<byte[]?> TryGetAsync(IArtifactStore store, string key, long maxBytes, CancellationToken ct)
    {
        try
        {
            return await store.GetAsync(key, maxBytes, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (ArtifactStoreException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

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
