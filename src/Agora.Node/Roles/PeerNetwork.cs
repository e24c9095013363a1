using Agora.Artifacts;
using Agora.SparseLoCo.Wire;

namespace Agora.Node.Roles;

/// <summary>
/// A peer's view of the other peers: their commitments on the board (resolved to UIDs through the ledger) and their
/// artifact stores, opened by the URI they committed and read with a size cap.
/// </summary>
public sealed class PeerNetwork(SubnetSetup setup, ISubnetLedger ledger, ICommitmentBoard board)
{
    private readonly Dictionary<string, IArtifactStore> _stores = new(StringComparer.Ordinal);

    public ISubnetLedger Ledger => ledger;

    public ICommitmentBoard Board => board;

    public IArtifactStore Open(string uri)
    {
        if (!_stores.TryGetValue(uri, out var store))
        {
            // FileArtifactStore.Location ends in '/', which its own URI parser would keep in the root path.
            store = ArtifactStoreUri.Open(uri.Length > 8 && uri.EndsWith('/') ? uri.TrimEnd('/') : uri);
            _stores[uri] = store;
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

    /// <summary>The store of the lead validator (most stake, then lowest UID), or null when none has published yet.</summary>
    public async Task<IArtifactStore?> LeadValidatorStoreAsync(CancellationToken ct)
    {
        var validators = await CommitmentsAsync(RoleKind.Validator, ct).ConfigureAwait(false);
        var lead = validators.OrderByDescending(v => v.Neuron.Stake).ThenBy(v => v.Neuron.Uid).FirstOrDefault();
        return lead.Commitment is null ? null : Open(lead.Commitment.Store);
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
