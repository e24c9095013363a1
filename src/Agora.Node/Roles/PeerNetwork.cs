using Agora.Artifacts;
using Agora.Core.Crypto;
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
    /// <summary>Stores kept open at once. The URIs come from on-chain commitments anyone may write, so the cache forgets
    /// the least recently used store rather than growing with every URI ever committed (a forgotten one is reopened).</summary>
    public const int MaxOpenStores = 1024;

    private readonly BoundedCache<string, IArtifactStore> _stores = new(MaxOpenStores, StringComparer.Ordinal);
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);
    private readonly Action<string> _log = log ?? (m => Console.Error.WriteLine(m));

    /// <summary>Stores open in the cache now (at most <see cref="MaxOpenStores"/>).</summary>
    public int OpenStores => _stores.Count;

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

            _stores.Set(uri, store);
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


    /// <summary>
    /// The lead validator, whose selections every miner and validator applies so θ stays identical everywhere: of the
    /// live validators (those that published a selection for one of the last <see cref="LeadSilenceWindows"/> windows),
    /// the one with the most stake, then the lowest UID; when none is live (a new or resumed subnet), the same rule over
    /// all of them. Every peer applies the same rule to the same stores, so they agree except for the moment a validator
    /// goes silent or catches up, which the miners' repair and the lead's checkpoints settle. <paramref name="excluding"/>
    /// leaves one UID out (a validator looking for someone else to start from). Null when none has published yet.
    /// </summary>
    public async Task<LeadValidator?> LeadValidatorAsync(CancellationToken ct, ushort? excluding = null)
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
                return new LeadValidator(v.Neuron.Uid, v.Neuron.Hotkey, Open(v.Commitment.Store));
            }
        }

        return new LeadValidator(validators[0].Neuron.Uid, validators[0].Neuron.Hotkey, Open(validators[0].Commitment.Store));
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

    /// <summary>
    /// The checkpoint a joiner (a miner or validator with no θ of its own) may start from: of the checkpoints validators
    /// vouch for in their commitments (window and digest, <see cref="RoleCommitment.VouchedCheckpoint"/>), one at or
    /// before <paramref name="window"/> that validators holding more than half the stake of all committed validators
    /// (<paramref name="excluding"/> left out) vouch for, fetched from one of them and checked against the digest and for
    /// finite values. <see cref="JoinCheckpoint.Fresh"/> when no validator vouches for any checkpoint (a new subnet: start
    /// from θ₀); <see cref="JoinCheckpoint.Wait"/> when some do but no majority agrees, or none of the majority's stores
    /// serves the bytes (try again later rather than start from θ a minority chose).
    /// </summary>
    public async Task<JoinCheckpoint> VouchedCheckpointAsync(ulong window, int length, CancellationToken ct, ushort? excluding = null)
    {
        var validators = (await CommitmentsAsync(RoleKind.Validator, ct).ConfigureAwait(false)).Where(v => v.Neuron.Uid != excluding).ToList();
        var total = validators.Aggregate(UInt128.Zero, (sum, v) => sum + v.Neuron.Stake);
        var vouches = validators.Where(v => v.Commitment.VouchedCheckpoint is { } c && c.Window <= window).ToList();
        if (vouches.Count == 0)
        {
            return JoinCheckpoint.Fresh;
        }

        var groups = vouches.GroupBy(v => (v.Commitment.Window, Convert.ToHexStringLower(v.Commitment.Digest)))
            .Select(g => (g.Key.Window, Digest: g.First().Commitment.Digest, Stake: g.Aggregate(UInt128.Zero, (sum, v) => sum + v.Neuron.Stake), Members: g.OrderByDescending(v => v.Neuron.Stake).ToList()))
            .Where(g => g.Stake * 2 > total).ToList();
        if (groups.Count == 0)
        {
            Log($"no checkpoint has the vouch of most validator stake ({vouches.Count} validator(s) vouch for {vouches.Select(v => v.Commitment.Window).Distinct().Count()} different one(s)); waiting");
            return JoinCheckpoint.Wait;
        }

        var chosen = groups[0];
        foreach (var member in chosen.Members)
        {
            var key = Publication.CheckpointKey(chosen.Window);
            if (await TryGetAsync(Open(member.Commitment.Store), key, 4L * length, ct).ConfigureAwait(false) is not { } bytes)
            {
                continue;
            }

            if (bytes.Length != 4L * length || !Blake2b.Hash256(bytes).AsSpan().SequenceEqual(chosen.Digest))
            {
                Log($"checkpoint {key} of UID {member.Neuron.Uid} does not match the digest validators vouched for; refused");
                continue;
            }

            var theta = Publication.DecodeVector(bytes, length);
            if (StepGuard.NonFinite(theta) is { } bad)
            {
                Log($"checkpoint {key} of UID {member.Neuron.Uid} refused: {bad}");
                continue;
            }

            return new JoinCheckpoint(theta, chosen.Window, false);
        }

        return JoinCheckpoint.Wait;
    }

    /// <summary>
    /// Reads an object the validator with <paramref name="hotkey"/> published and signed (<see cref="Publication"/>);
    /// null (and logged) when it or its signature is absent or unreadable or the signature does not verify.
    /// </summary>
    public async Task<byte[]?> TryGetSignedAsync(IArtifactStore store, byte[] hotkey, string key, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(hotkey);
        if (await TryGetAsync(store, key, maxBytes, ct).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        var signature = await TryGetAsync(store, Publication.SignatureKey(key), Ed25519KeyPair.SignatureSize, ct).ConfigureAwait(false);
        if (signature is null || !Publication.Verify(hotkey, setup.Netuid, key, bytes, signature))
        {
            Log($"{key} in {store.Location} is {(signature is null ? "unsigned" : "not signed by its validator's hotkey")}; refused");
            return null;
        }

        return bytes;
    }

    /// <summary>
    /// The lead's selection for <paramref name="window"/>, only when it is signed by the lead's hotkey AND its BLAKE2b-256
    /// digest is the one the lead committed on the ledger for that window (<see cref="RoleCommitment.Selections"/>); null
    /// otherwise, which callers treat as "not there yet" (wait, then fall back). A digest that differs is an equivocating
    /// lead (it may be showing other peers other bytes) and is refused and logged; a digest not on the ledger yet (the
    /// commitment lands a block after the selection) is waited for.
    /// </summary>
    public async Task<byte[]?> TryGetCommittedSelectionAsync(LeadValidator lead, ulong window, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var key = Publication.SelectionKey(window);
        if (await TryGetSignedAsync(lead.Store, lead.Hotkey, key, Publication.MaxSelectionBytes, ct).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        var held = (await board.ReadAsync(setup.Netuid, ct).ConfigureAwait(false)).FirstOrDefault(e => e.Hotkey.AsSpan().SequenceEqual(lead.Hotkey));
        var commitment = held is null ? null : RoleCommitment.TryDecode(held.Data);
        if (commitment?.SelectionDigest(window) is not { } committed)
        {
            // Normal for a block (the commitment lands after the selection); worth a line only when it will not come: the
            // lead commits no selections at all (an older build) or has committed later windows without this one.
            if (commitment is null || commitment.Selections.Count == 0 || commitment.Selections[^1].Window > window)
            {
                Log($"{key} of lead UID {lead.Uid}: no digest for window {window} in its ledger commitment; not applied");
            }

            return null;
        }

        if (!Blake2b.Hash256(bytes).AsSpan().SequenceEqual(committed))
        {
            Log($"{key} of lead UID {lead.Uid} does not match the digest it committed on the ledger for window {window}; refused");
            return null;
        }

        return bytes;
    }

    /// <summary>A signed float32 vector of exactly <paramref name="length"/> values with no NaN or infinity; null (logged) otherwise.</summary>
    public async Task<float[]?> TryGetSignedVectorAsync(IArtifactStore store, byte[] hotkey, string key, int length, CancellationToken ct)
    {
        var bytes = await TryGetSignedAsync(store, hotkey, key, 4L * length, ct).ConfigureAwait(false);
        if (bytes is null || bytes.Length != 4L * length)
        {
            return null;
        }

        var values = Publication.DecodeVector(bytes, length);
        if (StepGuard.NonFinite(values) is { } bad)
        {
            Log($"{key} in {store.Location} refused: {bad}");
            return null;
        }

        return values;
    }

    /// <summary>
    /// The lead's checkpoint of θ at the start of <paramref name="window"/>, if it published a signed one that may replace
    /// <paramref name="theta"/> (<see cref="StepGuard.RefuseCheckpoint"/>); null otherwise (refusals logged).
    /// </summary>
    public async Task<float[]?> LeadCheckpointAsync(LeadValidator lead, ulong window, ReadOnlyMemory<float> theta, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var key = Publication.CheckpointKey(window);
        if (await TryGetSignedVectorAsync(lead.Store, lead.Hotkey, key, theta.Length, ct).ConfigureAwait(false) is not { } checkpoint)
        {
            return null;
        }

        if (StepGuard.RefuseCheckpoint(checkpoint, theta.Span) is { } why)
        {
            Log($"{key} of lead UID {lead.Uid} refused: {why}");
            return null;
        }

        return checkpoint;
    }

    /// <summary>
    /// The aggregate of the lead's <paramref name="selection"/> for <paramref name="window"/>: recomputed from the selected
    /// payloads (fetched and digest-checked), never taken on trust. A published aggregate that differs from the
    /// recomputation is refused and logged. Only when a payload cannot be fetched is the lead's signed aggregate used,
    /// and then only if it passes <see cref="StepGuard.RefuseStep"/>. Null when neither is available.
    /// </summary>
    public async Task<float[]?> FollowAggregateAsync(LeadValidator lead, IReadOnlyList<SelectedPayload> selection, ulong window, SparseAggregator aggregator,
        float alpha, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(aggregator);
        var p = aggregator.Layout.TotalElements;
        if (selection.Count == 0)
        {
            return new float[p];
        }

        var key = Publication.AggregateKey(window);
        var recomputed = (await AggregateSelectionAsync(selection, window, aggregator, ct).ConfigureAwait(false))?.Aggregate;
        var published = await TryGetSignedVectorAsync(lead.Store, lead.Hotkey, key, p, ct).ConfigureAwait(false);
        if (recomputed is not null)
        {
            if (published is not null && !Publication.EncodeVector(published).AsSpan().SequenceEqual(Publication.EncodeVector(recomputed)))
            {
                Log($"{key} of lead UID {lead.Uid} differs from the aggregate of its own selection; refused, the recomputed one is applied");
            }

            return recomputed;
        }

        if (published is not null && StepGuard.RefuseStep(published, alpha) is { } why)
        {
            Log($"{key} of lead UID {lead.Uid} refused: {why}");
            return null;
        }

        return published;
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

/// <summary>The validator every peer follows (see <see cref="PeerNetwork.LeadValidatorAsync"/>): its UID, hotkey (which signs its publications) and store.</summary>
public sealed record LeadValidator(ushort Uid, byte[] Hotkey, IArtifactStore Store);

/// <summary>What a joiner starts from (see <see cref="PeerNetwork.VouchedCheckpointAsync"/>): θ of a checkpoint and its window, θ₀ (<see cref="Fresh"/>) or nothing yet (<see cref="Wait"/>).</summary>
public sealed record JoinCheckpoint(float[]? Theta, ulong Window, bool Waiting)
{
    public static JoinCheckpoint Fresh { get; } = new(null, 0, false);

    public static JoinCheckpoint Wait { get; } = new(null, 0, true);
}
