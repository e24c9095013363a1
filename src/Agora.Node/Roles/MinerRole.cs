using System.Diagnostics;
using Agora.Artifacts;
using Agora.Core.Crypto;
using Agora.Gauntlet;
using Agora.Gauntlet.Scoring;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using Agora.Model;
using Agora.SparseLoCo.Aggregation;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.Node.Roles;

/// <summary>
/// A SparseLoCo miner driven by block height (docs/architecture.md, "How data flows"): it keeps θ in step with the
/// lead validator's published selections, trains H inner AdamW steps on its own pages for the current window,
/// compresses Δ with error feedback, signs, uploads and commits the payload before the deadline. Call
/// <see cref="TickAsync"/> whenever the height may have changed; all work happens inside it.
/// Everything it must not lose lives in one <see cref="MinerState"/> file, saved atomically: a window's error feedback,
/// AdamW moments and trained-window mark are saved together with its commitment before that is published, so a process
/// killed at any point neither trains a window twice nor loses a commitment it could still make count.
/// </summary>
public sealed class MinerRole
{
    private readonly SubnetSetup _setup;
    private readonly PeerNetwork _peers;
    private readonly IArtifactStore _store;
    private readonly Ed25519KeyPair _coldkey;
    private readonly Ed25519KeyPair _hotkey;
    private readonly string _statePath;
    private readonly MinerBehavior _behavior;
    private readonly LlamaModel _model;
    private readonly WindowBatches _batches;
    private readonly Trainer _trainer;
    private readonly ErrorFeedbackCompressor _compressor;
    private readonly SparseAggregator _aggregator;
    private MinerState? _state;
    private ulong _registerSentAt = ulong.MaxValue;
    private readonly HotkeyFees _fees;

    public MinerRole(SubnetSetup setup, ISubnetLedger ledger, ICommitmentBoard board, IArtifactStore store, Ed25519KeyPair coldkey, Ed25519KeyPair hotkey,
        string stateDirectory, MinerBehavior behavior = MinerBehavior.Honest, int threads = 1, PeerStorePolicy? peerStores = null)
    {
        _setup = setup;
        _peers = new PeerNetwork(setup, ledger, board, peerStores ?? PeerStorePolicy.ForOwnStore(store));
        _store = store;
        _coldkey = coldkey;
        _hotkey = hotkey;
        _fees = new HotkeyFees(coldkey, hotkey);
        _behavior = behavior;
        Directory.CreateDirectory(stateDirectory);
        _statePath = Path.Combine(stateDirectory, "miner.state");
        _model = new LlamaModel(setup.Config) { Threads = threads };
        _batches = new WindowBatches(setup.BatchSize, setup.Config.MaxPositionEmbeddings);
        _trainer = new Trainer(_model, _batches, new TrainerOptions(LearningRate: setup.InnerLearningRate, WarmupSteps: 0, TotalSteps: 1_000_000, Threads: threads));
        _compressor = new ErrorFeedbackCompressor(setup.Layout, setup.Codec);
        _aggregator = new SparseAggregator(setup.Layout);
    }

    public MinerStatus Status { get; private set; } = new();

    /// <summary>θ as this miner holds it. // (P)</summary>
    public ReadOnlySpan<float> Theta => _state is null ? default : _state.Theta;

    public async Task TickAsync(CancellationToken ct = default)
    {
        var ledger = _peers.Ledger;
        var height = ledger.Height;
        var window = _setup.Clock.WindowOf(height);
        var me = ledger.Neurons(_setup.Netuid).FirstOrDefault(n => n.Hotkey.AsSpan().SequenceEqual(_hotkey.PublicKey));
        if (me is null)
        {
            if (_registerSentAt == ulong.MaxValue || height > _registerSentAt + 3)
            {
                ledger.Submit(_coldkey, HotkeyOwnership.Registration(ledger, _coldkey, _hotkey, _setup.Netuid, 1_000 * 1_000_000_000UL));
                _registerSentAt = height;
                _fees.Ensure(ledger, height);
            }

            return;
        }

        HotkeyOwnership.Require(me, _coldkey, _setup.Netuid);

        // The hotkey pays the fees of its commitments.
        if (!_fees.Ensure(ledger, height))
        {
            return;
        }

        Status = Status with { Uid = me.Uid, Height = height, Window = window, Incentive = me.Incentive, Emission = me.Emission, Stake = me.Stake };
        _state ??= await InitialStateAsync(window, ct).ConfigureAwait(false);
        if (_state is null)
        {
            // Joining: no checkpoint has the vouch of most validator stake yet.
            return;
        }

        await PublishPendingAsync(window, height, ct).ConfigureAwait(false);
        await RepairAsync(ct).ConfigureAwait(false);
        if (!await SyncToAsync(window, height, ct).ConfigureAwait(false))
        {
            return;
        }

        if (_state.TrainedWindow != window && Due(height))
        {
            await ProduceAsync(me.Uid, window, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A late miner produces only once the deadline has passed, so its commitment lands after it.</summary>
    private bool Due(ulong height) => _behavior == MinerBehavior.Late ? !_setup.Clock.IsOpen(height) : _setup.Clock.IsOpen(height);

    /// <summary>
    /// Publishes again a commitment saved before a crash cut off its publication, while it can still count. Publishing
    /// twice is harmless: the board keeps the latest commitment per hotkey and it is the same one.
    /// </summary>
    private async Task PublishPendingAsync(ulong window, ulong height, CancellationToken ct)
    {
        var state = _state!;
        if (state.PendingCommitment is not { } pending)
        {
            return;
        }

        if (RoleCommitment.TryDecode(pending) is { } c && c.Window == window && Due(height))
        {
            await _peers.Board.PublishAsync(_hotkey, _setup.Netuid, pending, ct).ConfigureAwait(false);
        }

        state.PendingCommitment = null;
        state.Save(_statePath);
    }

    private async Task<MinerState?> InitialStateAsync(ulong window, CancellationToken ct)
    {
        var p = _setup.Layout.TotalElements;
        if (MinerState.TryLoad(_statePath, p) is { } saved)
        {
            Status = Status with { TrainedWindow = saved.TrainedWindow, BytesUploaded = saved.BytesUploaded };
            return saved;
        }

        // A late joiner starts from the checkpoint validators holding most of the stake vouch for on the ledger and
        // replays the windows after it; while some vouch but no majority agrees, it waits (null).
        var join = await _peers.VouchedCheckpointAsync(window, p, ct).ConfigureAwait(false);
        if (join.Waiting)
        {
            return null;
        }

        return join.Theta is { } theta
            ? new MinerState(theta, new float[p]) { NextAggregate = join.Window }
            : new MinerState(_setup.InitialTheta(), new float[p]) { NextAggregate = window };
    }

    /// <summary>
    /// Applies every finished window's aggregate up to <paramref name="window"/>; false while waiting for the validator's
    /// selection. A window aggregated without the validator's selection (a fallback, or a window skipped for want of one)
    /// starts a <see cref="MinerRepair"/> snapshot that <see cref="RepairAsync"/> settles once the selections are published.
    /// </summary>
    private async Task<bool> SyncToAsync(ulong window, ulong height, CancellationToken ct)
    {
        var state = _state!;
        var p = _setup.Layout.TotalElements;
        var changed = false;
        while (state.NextAggregate < window)
        {
            var v = state.NextAggregate;
            var validator = await _peers.LeadValidatorAsync(ct).ConfigureAwait(false);
            float[]? aggregate = null;
            IReadOnlyList<UsedPayload>? used = null;
            if (validator is not null)
            {
                // The validator's θ at the start of v wins over ours: it repairs any divergence, so no earlier window needs checking.
                if (await _peers.LeadCheckpointAsync(validator, v, state.Theta, ct).ConfigureAwait(false) is { } checkpoint)
                {
                    checkpoint.CopyTo(state.Theta, 0);
                    state.Repair = null;
                }

                // Signed by the lead and the bytes it committed on the ledger for v (else it may show others another one).
                if (await _peers.TryGetCommittedSelectionAsync(validator, v, ct).ConfigureAwait(false) is { } sel
                    && Publication.TryDecodeSelection(sel, v) is { } selection)
                {
                    if (selection.Count == 0)
                    {
                        used = [];
                    }
                    else
                    {
                        aggregate = await _peers.FollowAggregateAsync(validator, selection, v, _aggregator, _setup.OuterLearningRate, ct).ConfigureAwait(false);
                        used = aggregate is null ? null : Used(selection);
                    }
                }
                else if (v + 1 == window && _setup.Clock.OffsetOf(height) < _setup.Clock.DeadlineOffset / 2)
                {
                    if (changed)
                    {
                        state.Save(_statePath);
                    }

                    return false;
                }
            }

            if (used is null)
            {
                // Unconfirmed: remember θ before the first such window so the validator's aggregates can replace ours later.
                state.Repair ??= new MinerRepair(v, (float[])state.Theta.Clone());
                used = [];
                if (v + 1 == window)
                {
                    // No selection in time: aggregate every valid payload committed for v, in UID order.
                    var all = (await _peers.CommitmentsAsync(RoleKind.Miner, ct).ConfigureAwait(false))
                        .Where(c => c.Commitment.Window == v && c.Block <= _setup.Clock.DeadlineBlock(v))
                        .Select(c => SelectedPayload.Of(c.Neuron, c.Commitment)).ToList();
                    if (await _peers.AggregateSelectionAsync(all, v, _aggregator, ct, skipInvalid: true).ConfigureAwait(false) is { } fallback)
                    {
                        aggregate = fallback.Aggregate;
                        used = Used(fallback.Used);
                    }
                }
            }

            state.Repair?.Windows.Add(new UsedWindow(v, used));
            if (aggregate is not null && Guarded(aggregate, v) is { } step)
            {
                SparseAggregator.ApplyOuterStep(state.Theta, step, _setup.OuterLearningRate);
            }

            state.NextAggregate = v + 1;
            changed = true;
        }

        if (changed)
        {
            state.Save(_statePath);
        }

        return true;
    }

    /// <summary>
    /// Settles a repair snapshot once the lead validator has published its selection for every window since the snapshot
    /// (it writes the selection after the aggregate, so the aggregates are there too). When every selection is what this
    /// miner aggregated, θ is already the validator's; otherwise θ is rebuilt from the snapshot with the validator's own
    /// aggregates, applied exactly as the validator applies them, so it becomes bit-identical to the validator's θ.
    /// Anything missing or unreadable leaves the snapshot for a later tick.
    /// </summary>
    private async Task RepairAsync(CancellationToken ct)
    {
        var state = _state!;
        if (state.Repair is not { } repair || await _peers.LeadValidatorAsync(ct).ConfigureAwait(false) is not { } validator)
        {
            return;
        }

        var same = true;
        var selections = new List<IReadOnlyList<SelectedPayload>>();
        foreach (var w in repair.Windows)
        {
            if (await _peers.TryGetCommittedSelectionAsync(validator, w.Window, ct).ConfigureAwait(false) is not { } sel)
            {
                return;
            }

            if (Publication.TryDecodeSelection(sel, w.Window) is not { } selection)
            {
                return;
            }

            selections.Add(selection);
            same &= SameSelection(Used(selection), w.Payloads);
        }

        if (!same)
        {
            // Each window's aggregate recomputed from the validator's selection (its published one only when a payload is
            // gone), applied exactly as the validator applies it.
            var theta = (float[])repair.Theta.Clone(); // (P)
            for (var i = 0; i < repair.Windows.Count; i++)
            {
                var window = repair.Windows[i].Window;
                if (await _peers.FollowAggregateAsync(validator, selections[i], window, _aggregator, _setup.OuterLearningRate, ct).ConfigureAwait(false) is not { } aggregate)
                {
                    return;
                }

                if (Guarded(aggregate, window) is { } step)
                {
                    SparseAggregator.ApplyOuterStep(theta, step, _setup.OuterLearningRate);
                }
            }

            theta.CopyTo(state.Theta, 0);
        }

        state.Repair = null;
        state.Save(_statePath);
    }

    /// <summary>The aggregate, or null (θ left unchanged, as every peer leaves it) when <see cref="StepGuard"/> refuses it.</summary>
    private float[]? Guarded(float[] aggregate, ulong window)
    {
        if (StepGuard.RefuseStep(aggregate, _setup.OuterLearningRate) is { } refused)
        {
            _peers.Log($"window {window}: aggregate refused ({refused}); θ is left unchanged");
            return null;
        }

        return aggregate;
    }

    private static List<UsedPayload> Used(IEnumerable<SelectedPayload> selection) => [.. selection.OrderBy(s => s.Uid).Select(s => new UsedPayload(s.Uid, s.Digest))];

    private static bool SameSelection(IReadOnlyList<UsedPayload> a, IReadOnlyList<UsedPayload> b) =>
        a.Count == b.Count && a.Zip(b).All(x => x.First.Uid == x.Second.Uid && x.First.Digest.AsSpan().SequenceEqual(x.Second.Digest));

    private async Task ProduceAsync(ushort uid, ulong window, CancellationToken ct)
    {
        var state = _state!;
        var sampleIdx = SyncScore.SampleIndices(window, state.Theta.Length, GauntletSettings.Default.SyncSampleSize);
        var sample = sampleIdx.Select(i => state.Theta[i]).ToArray();
        byte[] payload;
        var watch = Stopwatch.StartNew();
        double loss = double.NaN;
        var trained = false;
        if (_behavior == MinerBehavior.Copycat)
        {
            var victims = (await _peers.CommitmentsAsync(RoleKind.Miner, ct).ConfigureAwait(false)).Where(c => c.Commitment.Window == window && c.Neuron.Uid != uid && c.Block <= _peers.Ledger.Height).ToList();
            if (victims.Count == 0)
            {
                return;
            }

            var v = victims[0];
            var stolen = await _peers.FetchPayloadAsync(SelectedPayload.Of(v.Neuron, v.Commitment), window, ct).ConfigureAwait(false);
            if (stolen is null)
            {
                return;
            }

            payload = PayloadEncoder.Encode(stolen.Update, new PayloadHeader(_setup.ConfigHash, window, uid), _hotkey);
        }
        else if (_behavior is MinerBehavior.Noise or MinerBehavior.HostileUri)
        {
            var rng = new SplitMix64(((ulong)uid << 48) ^ (window * 0x9E3779B97F4A7C15UL) ^ 0x6E6F697365UL);
            var noise = new float[state.Theta.Length]; // (P)
            for (var i = 0; i < noise.Length; i++)
            {
                noise[i] = (float)(rng.NextNormal() * 1e-3);
            }

            // A fresh compressor: random top-k indices and codes, framed and signed like any honest payload.
            payload = PayloadEncoder.Encode(new ErrorFeedbackCompressor(_setup.Layout, _setup.Codec).Compress(noise), new PayloadHeader(_setup.ConfigHash, window, uid), _hotkey);
        }
        else
        {
            // The saved state is the truth: the trainer and compressor start every window from it, so a window retried
            // after a failure (or a restart) trains exactly as the first attempt did.
            state.Theta.CopyTo(_model.Parameters.Data);
            state.FirstMoment.CopyTo(_trainer.Optimizer.M.Data, 0);
            state.SecondMoment.CopyTo(_trainer.Optimizer.V.Data, 0);
            _trainer.Optimizer.Step = state.OptimizerStep;
            _trainer.RestoreStep(state.TrainerStep);
            _compressor.LoadError(state.Error);
            var lazy = _behavior == MinerBehavior.Lazy;
            _batches.Current = _setup.Train.Batches(_setup.MinerPages(lazy ? uid + 1000u : uid, window), _setup.BatchSize);
            var steps = lazy ? 1 : _setup.InnerSteps;
            loss = 0;
            for (var s = 0; s < steps; s++)
            {
                loss += _trainer.TrainStep().Loss;
            }

            loss /= steps;
            var delta = new float[state.Theta.Length]; // (P)
            var local = _model.Parameters.Data;
            for (var i = 0; i < delta.Length; i++)
            {
                delta[i] = state.Theta[i] - local[i];
            }

            if (_behavior == MinerBehavior.Poison)
            {
                for (var i = 0; i < delta.Length; i++)
                {
                    delta[i] *= MinerBehaviors.PoisonScale;
                }
            }

            var update = _compressor.Compress(delta);
            payload = PayloadEncoder.Encode(update, new PayloadHeader(_setup.ConfigHash, window, uid), _hotkey);
            trained = true;
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        var digest = payload.AsSpan(payload.Length - PayloadFormat.TrailerSize, PayloadFormat.DigestSize).ToArray();
        var key = Publication.PayloadKey(window, _hotkey.PublicKey);
        await _store.PutAsync(key, payload, ct).ConfigureAwait(false);
        var storeUri = _behavior == MinerBehavior.HostileUri ? MinerBehaviors.HostileUris[(int)(window % (ulong)MinerBehaviors.HostileUris.Count)] : _store.Location;
        var commitment = new RoleCommitment(RoleKind.Miner, window, digest, sample, storeUri, key).Encode();

        // One atomic write holds everything this window changed plus the commitment, before it is published: a crash
        // before it retrains identically from the old state; a crash after it publishes the same commitment on restart.
        if (trained)
        {
            _compressor.Error.CopyTo(state.Error);
            _trainer.Optimizer.M.Data.CopyTo(state.FirstMoment, 0);
            _trainer.Optimizer.V.Data.CopyTo(state.SecondMoment, 0);
            state.OptimizerStep = _trainer.Optimizer.Step;
            state.TrainerStep = _trainer.Step;
        }

        state.TrainedWindow = window;
        state.BytesUploaded += (ulong)payload.Length;
        state.PendingCommitment = commitment;
        state.Save(_statePath);
        await _peers.Board.PublishAsync(_hotkey, _setup.Netuid, commitment, ct).ConfigureAwait(false);

        // Cleared in memory only; the next save (after the next aggregation) records it. A restart before that publishes
        // the same commitment once more while the window is open, which changes nothing, and saves a second full write of
        // θ, moments and error feedback per window.
        state.PendingCommitment = null;
        var tokens = (double)_setup.RowsPerWindow * _setup.Config.MaxPositionEmbeddings;
        Status = Status with
        {
            TrainedWindow = window,
            TrainLoss = double.IsNaN(loss) ? Status.TrainLoss : loss,
            LastPayloadBytes = payload.Length,
            BytesUploaded = state.BytesUploaded,
            TokensPerSecond = _behavior is MinerBehavior.Copycat or MinerBehavior.Noise or MinerBehavior.HostileUri || elapsed <= 0 ? 0 : tokens / elapsed,
        };
    }

    private sealed class WindowBatches(int batchSize, int seqLen) : IBatchSource
    {
        public IReadOnlyList<int[]> Current { get; set; } = [];

        public int BatchSize => batchSize;

        public int SeqLen => seqLen;

        public int[] Batch(long step) => Current[(int)(step % Current.Count)];
    }
}

/// <summary>What a miner reports about itself (status file, live view).</summary>
public sealed record MinerStatus
{
    public int? Uid { get; init; }

    public ulong Height { get; init; }

    public ulong Window { get; init; }

    public ulong? TrainedWindow { get; init; }

    public double? TrainLoss { get; init; }

    public long LastPayloadBytes { get; init; }

    public ulong BytesUploaded { get; init; }

    public double TokensPerSecond { get; init; }

    public ushort Incentive { get; init; }

    public ulong Emission { get; init; }

    public ulong Stake { get; init; }
}
