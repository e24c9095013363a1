using Agora.Artifacts;
using Agora.Core.Crypto;
using Agora.Gauntlet;
using Agora.Gauntlet.Acceptance;
using Agora.Gauntlet.Scoring;
using Agora.Gauntlet.State;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using Agora.SparseLoCo.Aggregation;

namespace Agora.Node.Roles;

/// <summary>
/// A subnet validator driven by block height. Right after each window's deadline it fetches every committed payload
/// (size-capped, digest- and signature-checked by the Gauntlet); it scores the window with its own Gauntlet and sets its
/// own weights by commit-reveal (independent judgement is what Yuma consensus aggregates). θ, though, must stay the same
/// on every peer, so a validator that is not the lead (<see cref="PeerNetwork.LeadValidatorAsync"/>) applies the lead's
/// selection (and adopts its checkpoints), waiting for it until the middle of the next window's commit phase and then
/// applying its own; the lead never waits. Every validator publishes what it applied (selection, aggregate and every
/// <see cref="CheckpointEvery"/> windows a checkpoint, plus one in the first window it leads), so any of them can take
/// over as lead.
/// <para>
/// Crash consistency: each window ends with ONE atomic save (<see cref="ValidatorStateFile"/>) before the selection
/// and checkpoint are published and before the weights are committed. A crash before the save re-scores the window
/// from the same state (nothing of it was published yet but the aggregate, which nobody reads without a selection);
/// a crash after it republishes from the saved state on restart, and the window's weights are then skipped rather
/// than committed twice. A window whose selection is already in the validator's own store (published by an earlier
/// build that saved after publishing) is applied from there, since peers may have applied it.
/// </para>
/// </summary>
public sealed class ValidatorRole
{
    public const int CheckpointEvery = 5;

    private readonly SubnetSetup _setup;
    private readonly PeerNetwork _peers;
    private readonly IArtifactStore _store;
    private readonly Ed25519KeyPair _coldkey;
    private readonly Ed25519KeyPair _hotkey;
    private readonly string _dir;
    private readonly ulong _stakeRao;
    private readonly ModelLossEvaluator _evaluator;
    private readonly CommitRevealWeights _weights;
    private readonly DeferredWeights _deferred = new();
    private readonly SparseAggregator _aggregator;
    private GauntletValidator? _gauntlet;
    private ValidatorStateFile? _state;
    private Capture? _captured;
    private ulong _sentAt = ulong.MaxValue;
    private readonly HotkeyFees _fees;

    // What this validator commits on the board besides its store: the newest regular checkpoint it vouches for and the
    // digests of the selections it published for its newest windows (seeded from the board after a restart); what the
    // board holds as far as this process knows (read afresh once per window); and the height it last posted at: at most
    // one post per <see cref="CommitmentSpacing"/> blocks, so a second one that soon waits.
    private (ulong Window, byte[] Digest)? _vouched;
    private readonly List<(ulong Window, byte[] Digest)> _selections = [];
    private byte[]? _postedCommitment;
    private bool _boardSeeded;
    private ulong? _boardReadWindow;
    private ulong? _postedHeight;

    // Whether this validator led the last window it stepped (false after a start, so a restarted lead checkpoints once).
    private bool _led;

    public ValidatorRole(SubnetSetup setup, ISubnetLedger ledger, ICommitmentBoard board, IArtifactStore store, Ed25519KeyPair coldkey, Ed25519KeyPair hotkey,
        string stateDirectory, ulong stakeRao = 100 * 1_000_000_000UL, int threads = 1, PeerStorePolicy? peerStores = null)
    {
        _setup = setup;
        _peers = new PeerNetwork(setup, ledger, board, peerStores ?? PeerStorePolicy.ForOwnStore(store));
        _store = store;
        _coldkey = coldkey;
        _hotkey = hotkey;
        _fees = new HotkeyFees(coldkey, hotkey);
        _dir = stateDirectory;
        _stakeRao = stakeRao;
        Directory.CreateDirectory(stateDirectory);
        _evaluator = new ModelLossEvaluator(setup.Config, GauntletSettings.Default.OwnSequences, threads);
        _weights = new CommitRevealWeights(ledger, hotkey, setup.Netuid, Path.Combine(stateDirectory, "weights.pending"));
        _aggregator = new SparseAggregator(setup.Layout);
    }

    public ValidatorStatus Status { get; private set; } = new();

    public ValidatorState? GauntletState => _gauntlet?.State;

    public ReadOnlySpan<float> Theta => _state is null ? default : _state.Theta;

    public CommitRevealWeights Weights => _weights;

    /// <summary>The validator's state file (<see cref="ValidatorStateFile"/>) in <paramref name="stateDirectory"/>.</summary>
    public static string StatePath(string stateDirectory) => Path.Combine(stateDirectory, ValidatorStateFile.FileName);

    public async Task TickAsync(CancellationToken ct = default)
    {
        var ledger = _peers.Ledger;
        var height = ledger.Height;
        var me = ledger.Neurons(_setup.Netuid).FirstOrDefault(n => n.Hotkey.AsSpan().SequenceEqual(_hotkey.PublicKey));
        if (me is not null)
        {
            // Before staking to it: stake added to a hotkey another coldkey owns would feed that coldkey.
            HotkeyOwnership.Require(me, _coldkey, _setup.Netuid);
        }

        if (me is null || me.Stake == 0)
        {
            if (_sentAt == ulong.MaxValue || height > _sentAt + 3)
            {
                _sentAt = height;
                var hot = new AccountId(_hotkey.PublicKey);
                ledger.Submit(_coldkey, me is null ? HotkeyOwnership.Registration(ledger, _coldkey, _hotkey, _setup.Netuid, 1_000 * 1_000_000_000UL) : new AddStakeBody(hot, _setup.Netuid, _stakeRao, 0));
                _fees.Ensure(ledger, height);
            }

            if (me is null)
            {
                return;
            }
        }

        // The hotkey pays the fees of its commitment and weights.
        if (!_fees.Ensure(ledger, height))
        {
            return;
        }

        await ReadBoardAsync(height, ct).ConfigureAwait(false);
        if (_state is null)
        {
            await LoadAsync(_setup.Clock.WindowOf(height), me.Uid, ct).ConfigureAwait(false);
        }

        // The lead is looked up (board, neurons and stores) only when a window is due, not on every poll.
        LeadValidator? lead = null;
        var looked = false;
        while (_state is not null && _setup.Clock.DeadlineBlock(_state.NextScore) < height && ledger.BlockHash(_setup.Clock.DeadlineBlock(_state.NextScore)) is { } seed)
        {
            if (!looked)
            {
                lead = await _peers.LeadValidatorAsync(ct).ConfigureAwait(false);
                looked = true;
            }

            try
            {
                if (!await StepAsync(_state.NextScore, me.Uid, seed, height, lead, ct).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch
            {
                // The Gauntlet's in-memory state may already hold this window; the next tick reloads the saved one.
                _state = null;
                _gauntlet = null;
                _captured = null;
                throw;
            }
        }

        await PostCommitmentAsync(height, ct).ConfigureAwait(false);
        Status = Status with
        {
            Uid = me.Uid,
            Height = height,
            Window = _setup.Clock.WindowOf(height),
            Stake = me.Stake,
            Dividends = me.Dividends,
            LeadUid = looked ? lead?.Uid : Status.LeadUid,
            IsLead = looked ? lead is null || lead.Uid == me.Uid : Status.IsLead,
        };
    }

    private async Task LoadAsync(ulong window, ushort myUid, CancellationToken ct)
    {
        var p = _setup.Layout.TotalElements;
        var path = StatePath(_dir);
        var state = ValidatorStateFile.TryLoad(path, p);
        if (state is null && ValidatorStateFile.TryLoadLegacy(_dir, p, _setup.OuterLearningRate, w => TryOwnAggregate(w, p)) is { } legacy)
        {
            legacy.Save(path);
            ValidatorStateFile.DeleteLegacy(_dir);
            state = legacy;
        }

        if (state is null)
        {
            // Ratings alone (an earlier build stopped before its first θ) carry over; otherwise everything starts here.
            var legacyRatings = Path.Combine(_dir, ValidatorStateFile.LegacyGauntletFileName);
            var ratings = File.Exists(legacyRatings) ? LoadLegacyRatings(legacyRatings) : new ValidatorState();

            // A validator joining a running subnet starts from another validator's newest checkpoint and replays the
            // windows after it from the lead, scoring only from the current window on.
            // Only a checkpoint that validators holding most of the stake vouch for on the ledger; while there is none
            // (but some validator vouches for one) it waits rather than start from θ a minority chose.
            var join = await _peers.VouchedCheckpointAsync(window, p, ct, excluding: myUid).ConfigureAwait(false);
            if (join.Waiting)
            {
                return;
            }

            var (theta, start) = join.Theta is { } vouched ? (vouched, join.Window) : (_setup.InitialTheta(), window);
            state = new ValidatorStateFile(theta, new float[p], ratings) { NextScore = start, FirstScore = window };
            state.Save(path);
            if (File.Exists(legacyRatings))
            {
                ValidatorStateFile.DeleteLegacy(_dir);
            }
        }

        _state = state;
        _gauntlet = new GauntletValidator(_setup.Expectation, _evaluator, new EvaluationData(_setup), _deferred, GauntletSettings.Default, state.Gauntlet);
        Status = Status with
        {
            ScoredWindow = state.LossHistory.Count == 0 ? null : state.LossHistory[^1].Window,
            HeldOutLoss = state.LossHistory.Count == 0 ? null : state.LossHistory[^1].Loss,
            LossHistory = [.. state.LossHistory],
        };

        // Whatever the last run saved but may not have published: the last selection and θ at the next window's start.
        await PublishAsync(state, checkpoint: null, ct).ConfigureAwait(false);
    }

    private static ValidatorState LoadLegacyRatings(string path)
    {
        try
        {
            return ValidatorState.Load(path);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private float[]? TryOwnAggregate(ulong window, int p) => TryOwnAggregateAsync(window, p, CancellationToken.None).GetAwaiter().GetResult();

    private Task<float[]?> TryOwnAggregateAsync(ulong window, int p, CancellationToken ct) =>
        PeerNetwork.TryGetVectorAsync(_store, Publication.AggregateKey(window), p, ct);

    /// <summary>Scores (from <see cref="ValidatorStateFile.FirstScore"/> on) and applies one window; false while waiting for the lead's selection.</summary>
    private async Task<bool> StepAsync(ulong window, ushort myUid, byte[] seed, ulong height, LeadValidator? lead, CancellationToken ct)
    {
        var state = _state!;
        var p = state.Theta.Length;
        var scores = window >= state.FirstScore;
        if (scores && _captured?.Window != window)
        {
            // Captured once, right after the deadline: miners' next commitments replace these while a follower waits.
            _captured = await CaptureAsync(window, myUid, ct).ConfigureAwait(false);
        }

        var leadStore = lead is { } l && l.Uid != myUid ? l : null;
        if (!scores && leadStore is null)
        {
            // A late joiner that leads replays the windows before its first from the validator it took θ from.
            leadStore = await _peers.LeadValidatorAsync(ct, excluding: myUid).ConfigureAwait(false);
        }

        var ownPublished = await PeerNetwork.TryGetAsync(_store, Publication.SelectionKey(window), Publication.MaxSelectionBytes, ct).ConfigureAwait(false);
        byte[]? leadSelection = null;
        if (ownPublished is null && leadStore is not null)
        {
            // Signed by the lead's hotkey, or it is not the lead's; and the bytes the lead committed on the ledger for this
            // window, or it may be showing other peers another selection. Either missing: wait, then fall back.
            leadSelection = await _peers.TryGetCommittedSelectionAsync(leadStore, window, ct).ConfigureAwait(false);
            if (leadSelection is null && height < _setup.Clock.StartBlock(window + 1) + (_setup.Clock.DeadlineOffset / 2))
            {
                return false;
            }
        }

        if (leadStore is not null && await _peers.LeadCheckpointAsync(leadStore, window, state.Theta, ct).ConfigureAwait(false) is { } checkpoint)
        {
            // The lead's θ at the start of the window wins over ours: it repairs any divergence before we score with it.
            checkpoint.CopyTo(state.Theta, 0);
        }

        WindowReport? report = null;
        List<SelectedPayload> own = [];
        var judged = scores && _captured!.Observed;
        if (judged)
        {
            // A window seen too late is applied (the lead's selection, or none) but not judged: no ratings move, no weights.
            var c = _captured!;
            report = _gauntlet!.ScoreWindow(new WindowInfo(window, (long)_setup.Clock.DeadlineBlock(window), seed), c.Miners, c.Submissions, state.Theta, state.LastStep);
            own = [.. report.Selection.Select(d => c.Commitments.First(x => x.Neuron.Uid == d.Header.Uid))
                .Select(x => SelectedPayload.Of(x.Neuron, x.Commitment))];
        }

        // What every peer applies for the window, in order of precedence: our own earlier publication, the lead's, ours.
        byte[]? selection = null;
        float[]? aggregate = null;
        var followed = false;
        if (ownPublished is not null && Publication.TryDecodeSelection(ownPublished, window) is { } published)
        {
            selection = ownPublished;
            aggregate = await TryOwnAggregateAsync(window, p, ct).ConfigureAwait(false) ?? (await _peers.AggregateSelectionAsync(published, window, _aggregator, ct).ConfigureAwait(false))?.Aggregate
                ?? (published.Count == 0 ? new float[p] : null);
        }
        else if (leadSelection is not null && Publication.TryDecodeSelection(leadSelection, window) is { } chosen)
        {
            aggregate = await _peers.FollowAggregateAsync(leadStore!, chosen, window, _aggregator, _setup.OuterLearningRate, ct).ConfigureAwait(false);
            selection = aggregate is null ? null : leadSelection;
            followed = aggregate is not null;
        }

        if (selection is null || aggregate is null)
        {
            selection = Publication.EncodeSelection(window, own);
            aggregate = report is null || report.Selection.Count == 0 ? new float[p] : _aggregator.Aggregate(report.Selection);
        }

        // Every peer makes the same check on the same aggregate: one it refuses leaves θ where it was, everywhere.
        if (StepGuard.RefuseStep(aggregate, _setup.OuterLearningRate) is { } refused)
        {
            _peers.Log($"window {window}: aggregate refused ({refused}); θ is left unchanged");
            aggregate = new float[p];
        }

        for (var i = 0; i < p; i++)
        {
            state.LastStep[i] = _setup.OuterLearningRate * aggregate[i];
        }

        SparseAggregator.ApplyOuterStep(state.Theta, aggregate, _setup.OuterLearningRate);
        state.Theta.CopyTo(_evaluator.Parameters);
        var heldOut = _evaluator.Loss(_setup.HeldOut);
        if (ownPublished is null)
        {
            // Before the save: no peer reads an aggregate until the selection beside it appears, which comes after.
            await PutSignedAsync(Publication.AggregateKey(window), Publication.EncodeVector(aggregate), ct).ConfigureAwait(false);
        }

        state.NextScore = window + 1;
        state.LastSelection = selection;
        state.LossHistory.Add((window, heldOut));
        state.Save(StatePath(_dir));
        _captured = null;
        // A checkpoint every CheckpointEvery windows, and one as soon as this validator takes the lead: peers that looked
        // a moment apart across a change of lead may have applied different selections, and adopt it a window later.
        var leads = lead is null || lead.Uid == myUid;
        await PublishAsync(state, checkpoint: state.NextScore % CheckpointEvery == 0 || (leads && !_led), ct).ConfigureAwait(false);
        _led = leads;
        if (_deferred.Take(window) is { } weights)
        {
            _weights.SetWeights(window, weights);
        }

        var selectedUids = Publication.DecodeSelection(selection).Selection.Select(s => s.Uid).ToList();
        Status = Status with
        {
            ScoredWindow = window,
            HeldOutLoss = heldOut,
            LossHistory = [.. state.LossHistory],
            Miners = report?.Miners ?? Status.Miners,
            SelectedUids = [.. selectedUids],
            OwnSelectedUids = [.. own.Select(s => s.Uid)],
            FollowedLead = followed,
            UnjudgedWindows = Status.UnjudgedWindows + (scores && !judged ? 1 : 0),
        };
        return true;
    }

    /// <summary>Publishes the saved state's last selection and θ at the next window's start as a checkpoint when
    /// <paramref name="checkpoint"/> is true, or (null) when the store has none for that window yet.</summary>
    private async Task PublishAsync(ValidatorStateFile state, bool? checkpoint, CancellationToken ct)
    {
        var next = state.NextScore;
        var checkpointKey = Publication.CheckpointKey(next);
        if (checkpoint ?? !await _store.ExistsAsync(checkpointKey, ct).ConfigureAwait(false))
        {
            var bytes = Publication.EncodeVector(state.Theta);
            await PutSignedAsync(checkpointKey, bytes, ct).ConfigureAwait(false);
            Vouch(next, bytes);
        }
        else if (next % CheckpointEvery == 0 && await PeerNetwork.TryGetAsync(_store, checkpointKey, 4L * state.Theta.Length, ct).ConfigureAwait(false) is { } existing)
        {
            Vouch(next, existing);
        }

        // The selection goes last: a peer that sees it can rely on the aggregate and checkpoint being there. Its digest
        // goes on the ledger with the next commitment; followers apply it only once it is there.
        if (state.LastSelection.Length > 0)
        {
            if (!await _store.ExistsAsync(Publication.SelectionKey(next - 1), ct).ConfigureAwait(false))
            {
                await PutSignedAsync(Publication.SelectionKey(next - 1), state.LastSelection, ct).ConfigureAwait(false);
            }

            CommitSelection(next - 1, Blake2b.Hash256(state.LastSelection));
        }
    }

    /// <summary>Adds (or replaces) the digest of this validator's selection for <paramref name="window"/> in what it commits next, keeping the newest <see cref="RoleCommitment.MaxSelections"/>.</summary>
    private void CommitSelection(ulong window, byte[] digest)
    {
        _selections.RemoveAll(s => s.Window == window);
        _selections.Add((window, digest));
        _selections.Sort((a, b) => a.Window.CompareTo(b.Window));
        if (_selections.Count > RoleCommitment.MaxSelections)
        {
            _selections.RemoveRange(0, _selections.Count - RoleCommitment.MaxSelections);
        }
    }

    /// <summary>
    /// Vouches on the ledger (with the next <see cref="PostCommitmentAsync"/>) for a regular checkpoint, one every
    /// <see cref="CheckpointEvery"/> windows, which every honest validator writes with the same θ: joiners count the
    /// stake behind it. Off-cycle ones (a new lead's, a restart's) are published and signed but not vouched for, so
    /// commitments change at most once per <see cref="CheckpointEvery"/> windows and a restart sends nothing new.
    /// </summary>
    private void Vouch(ulong window, byte[] checkpoint)
    {
        if (window % CheckpointEvery == 0)
        {
            _vouched = (window, Blake2b.Hash256(checkpoint));
        }
    }

    /// <summary>Writes the signature of <paramref name="bytes"/>, then the object: a reader never finds the object without it.</summary>
    private async Task PutSignedAsync(string key, byte[] bytes, CancellationToken ct)
    {
        await _store.PutAsync(Publication.SignatureKey(key), Publication.Sign(_hotkey, _setup.Netuid, key, bytes), ct).ConfigureAwait(false);
        await _store.PutAsync(key, bytes, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads what the board holds for this validator, once per window (a post that the ledger accepted into its mempool
    /// but refused in a block is then noticed and sent again). The first read after a start also seeds the checkpoint
    /// vouch and selection digests from a commitment of this store, so a restart posts nothing new.
    /// </summary>
    private async Task ReadBoardAsync(ulong height, CancellationToken ct)
    {
        var window = _setup.Clock.WindowOf(height);
        if (_boardReadWindow == window)
        {
            return;
        }

        var board = await _peers.Board.ReadAsync(_setup.Netuid, ct).ConfigureAwait(false);
        _postedCommitment = board.FirstOrDefault(e => e.Hotkey.AsSpan().SequenceEqual(_hotkey.PublicKey))?.Data;
        _boardReadWindow = window;
        if (!_boardSeeded)
        {
            _boardSeeded = true;
            if (_postedCommitment is { } held && RoleCommitment.TryDecode(held) is { Kind: RoleKind.Validator } c && c.Store == _store.Location)
            {
                _vouched ??= c.VouchedCheckpoint;
                foreach (var (w, digest) in c.Selections.Where(s => !_selections.Any(o => o.Window == s.Window)))
                {
                    CommitSelection(w, digest);
                }
            }
        }
    }

    /// <summary>
    /// Blocks between two commitment posts: the window minus the deadline offset (what the devnet sets as the ledger's
    /// CommitmentRateLimit), at least 3 (the ledger's default). A validator posts right after it steps a window (at the
    /// deadline + 1), so consecutive windows' posts are a whole window apart and a retry lands before followers give up
    /// waiting (the middle of the next window's commit phase).
    /// </summary>
    private ulong CommitmentSpacing => Math.Max(3, _setup.Clock.WindowBlocks - _setup.Clock.DeadlineOffset);

    /// <summary>
    /// Posts the commitment this validator wants (its store, newest regular checkpoint's digest and newest selections'
    /// digests, <see cref="RoleCommitment"/> version 3) when the board holds another, at most once per
    /// <see cref="CommitmentSpacing"/> blocks (the ledger rate-limits commitments). A restart finds it already there and sends nothing.
    /// </summary>
    private async Task PostCommitmentAsync(ulong height, CancellationToken ct)
    {
        await ReadBoardAsync(height, ct).ConfigureAwait(false);
        var want = RoleCommitment.ForValidator(_store.Location, _vouched, _selections).Encode();
        var window = _setup.Clock.WindowOf(height);
        if ((_postedHeight is { } last && height < last + CommitmentSpacing) || (_postedCommitment is not null && _postedCommitment.AsSpan().SequenceEqual(want)))
        {
            return;
        }

        // One attempt per CommitmentSpacing blocks whatever its outcome: a rejected one (rate limit, fee) is logged and
        // tried again that many blocks later; followers meanwhile wait for the digest and then fall back to their own
        // selection, as for a late one.
        _postedHeight = height;
        try
        {
            await _peers.Board.PublishAsync(_hotkey, _setup.Netuid, want, ct).ConfigureAwait(false);
            _postedCommitment = want;
        }
        catch (LedgerRejectedException e)
        {
            _peers.Log($"commitment not accepted in window {window}: {e.Message}");
        }
    }

    private async Task<Capture> CaptureAsync(ulong window, ushort myUid, CancellationToken ct)
    {
        // A neuron is a miner once its commitment says so: one registered a moment ago that has not declared a role yet
        // (a validator still starting, say) is nobody's miner, so it never takes a place among the ratings. A miner that
        // has committed before and is silent now keeps a Miner commitment and is scored as missing.
        var declared = (await _peers.CommitmentsAsync(RoleKind.Miner, ct).ConfigureAwait(false)).Where(c => c.Neuron.Uid != myUid).ToList();
        var miners = declared.Select(c => new MinerEntry(c.Neuron.Uid, c.Neuron.Hotkey)).ToList();
        var commitments = declared.Where(c => c.Commitment.Window == window).ToList();

        // The board keeps one commitment per hotkey. A miner whose latest is for a window that has begun since this one
        // has replaced its commitment for this window, so whether it sent one can no longer be told: a validator that
        // looks this late (it was down, or far behind) must not judge the window, or it would count every such miner as
        // missing. A commitment for a window that has not begun is the miner's own error and changes nothing.
        // The height now, after the board read, not the tick's: a catch-up tick steps several windows and takes a while.
        var now = _setup.Clock.WindowOf(_peers.Ledger.Height);
        var observed = !declared.Any(c => c.Commitment.Window > window && c.Commitment.Window <= now);
        var submissions = new List<PayloadSubmission>();
        foreach (var (neuron, c, block) in commitments)
        {
            var bytes = await PeerNetwork.TryGetAsync(_peers.Open(c.Store), c.Key, _setup.Expectation.MaxBytes, ct).ConfigureAwait(false);
            submissions.Add(new PayloadSubmission(neuron.Uid, bytes, c.Digest, (long)block, c.Sample.Length == 0 ? null : c.Sample));
        }

        return new Capture(window, miners, submissions, commitments, observed);
    }

    /// <summary>A window's scoring inputs as they stood right after its deadline; <see cref="Observed"/> is false when they
    /// were read too late to judge the window (see <see cref="CaptureAsync"/>).</summary>
    private sealed record Capture(ulong Window, List<MinerEntry> Miners, List<PayloadSubmission> Submissions,
        IReadOnlyList<(NeuronView Neuron, RoleCommitment Commitment, ulong Block)> Commitments, bool Observed);

    /// <summary>Holds the Gauntlet's weights until the window is saved, so a re-scored window never commits twice.</summary>
    private sealed class DeferredWeights : IWeightSink
    {
        private (ulong Window, IReadOnlyList<UidWeight> Weights)? _held;

        public void SetWeights(ulong window, IReadOnlyList<UidWeight> weights) => _held = (window, [.. weights]);

        public IReadOnlyList<UidWeight>? Take(ulong window)
        {
            var held = _held;
            _held = null;
            return held is { } h && h.Window == window ? h.Weights : null;
        }
    }

    private sealed class EvaluationData(SubnetSetup setup) : IEvaluationData
    {
        public int[] RandomRows(WindowInfo window, int sequences) => setup.Rows(setup.Sampler.RandomPages(window.EvaluationSeed, sequences));

        public int[] OwnRows(uint uid, ulong window, int sequences) => setup.OwnRows(uid, window, sequences);
    }
}

/// <summary>What a validator reports (status file, live view, dashboard).</summary>
public sealed record ValidatorStatus
{
    public int? Uid { get; init; }

    public ulong Height { get; init; }

    public ulong Window { get; init; }

    public ulong? ScoredWindow { get; init; }

    public double? HeldOutLoss { get; init; }

    public IReadOnlyList<(ulong Window, double Loss)> LossHistory { get; init; } = [];

    public IReadOnlyList<MinerWindowResult> Miners { get; init; } = [];

    public IReadOnlyList<uint> SelectedUids { get; init; } = [];

    public ulong Stake { get; init; }

    public ushort Dividends { get; init; }

    /// <summary>The lead validator's UID as this validator sees it (null before any validator has published).</summary>
    public int? LeadUid { get; init; }

    public bool IsLead { get; init; }

    /// <summary>True when the last window applied the lead's selection rather than this validator's own.</summary>
    public bool FollowedLead { get; init; }

    /// <summary>The UIDs this validator's own Gauntlet selected in the last window (<see cref="SelectedUids"/> is what it applied).</summary>
    public IReadOnlyList<uint> OwnSelectedUids { get; init; } = [];

    /// <summary>Windows this process applied without judging, because it looked at them only after miners had committed
    /// for a later window (it was down or far behind); their ratings and weights are left as they were.</summary>
    public int UnjudgedWindows { get; init; }
}
