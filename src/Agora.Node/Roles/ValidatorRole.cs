using System.Buffers.Binary;
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
/// A subnet validator driven by block height: after each window's deadline it fetches every committed payload (size-capped,
/// digest- and signature-checked by the Gauntlet), scores the window, sets weights by commit-reveal, applies the selection
/// to θ and publishes selection, aggregate and (every <see cref="CheckpointEvery"/> windows) a checkpoint to its store.
/// Gauntlet state, θ and the next window to score are saved after every window, so ratings survive restarts.
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
    private readonly SparseAggregator _aggregator;
    private GauntletValidator? _gauntlet;
    private float[] _theta = []; // (P)
    private float[] _lastStep = []; // (P)
    private ulong _nextScore;
    private bool _published;
    private ulong _sentAt = ulong.MaxValue;

    public ValidatorRole(SubnetSetup setup, ISubnetLedger ledger, ICommitmentBoard board, IArtifactStore store, Ed25519KeyPair coldkey, Ed25519KeyPair hotkey,
        string stateDirectory, ulong stakeRao = 100 * 1_000_000_000UL, int threads = 1)
    {
        _setup = setup;
        _peers = new PeerNetwork(setup, ledger, board);
        _store = store;
        _coldkey = coldkey;
        _hotkey = hotkey;
        _dir = stateDirectory;
        _stakeRao = stakeRao;
        Directory.CreateDirectory(stateDirectory);
        _evaluator = new ModelLossEvaluator(setup.Config, GauntletSettings.Default.OwnSequences, threads);
        _weights = new CommitRevealWeights(ledger, hotkey, setup.Netuid, Path.Combine(stateDirectory, "weights.pending"));
        _aggregator = new SparseAggregator(setup.Layout);
    }

    public ValidatorStatus Status { get; private set; } = new();

    public ValidatorState? GauntletState => _gauntlet?.State;

    public ReadOnlySpan<float> Theta => _theta;

    public CommitRevealWeights Weights => _weights;

    private string GauntletPath => Path.Combine(_dir, "gauntlet.state");

    private string ThetaPath => Path.Combine(_dir, "validator.theta");

    public async Task TickAsync(CancellationToken ct = default)
    {
        var ledger = _peers.Ledger;
        var height = ledger.Height;
        var me = ledger.Neurons(_setup.Netuid).FirstOrDefault(n => n.Hotkey.AsSpan().SequenceEqual(_hotkey.PublicKey));
        if (me is null || me.Stake == 0)
        {
            if (_sentAt == ulong.MaxValue || height > _sentAt + 3)
            {
                _sentAt = height;
                var hot = new AccountId(_hotkey.PublicKey);
                ledger.Submit(_coldkey, me is null ? new RegisterBody(_setup.Netuid, hot, 1_000 * 1_000_000_000UL) : new AddStakeBody(hot, _setup.Netuid, _stakeRao, 0));
            }

            if (me is null)
            {
                return;
            }
        }

        if (!_published)
        {
            await _peers.Board.PublishAsync(_hotkey, _setup.Netuid, RoleCommitment.ForValidator(_store.Location).Encode(), ct).ConfigureAwait(false);
            _published = true;
        }

        if (_gauntlet is null)
        {
            await LoadAsync(_setup.Clock.WindowOf(height), ct).ConfigureAwait(false);
        }

        while (_setup.Clock.DeadlineBlock(_nextScore) < height && ledger.BlockHash(_setup.Clock.DeadlineBlock(_nextScore)) is { } seed)
        {
            await ScoreAsync(_nextScore, me.Uid, seed, ct).ConfigureAwait(false);
        }

        Status = Status with { Uid = me.Uid, Height = height, Window = _setup.Clock.WindowOf(height), Stake = me.Stake, Dividends = me.Dividends };
    }

    private async Task LoadAsync(ulong window, CancellationToken ct)
    {
        var p = _setup.Layout.TotalElements;
        var state = File.Exists(GauntletPath) ? ValidatorState.Load(GauntletPath) : null;
        _gauntlet = new GauntletValidator(_setup.Expectation, _evaluator, new EvaluationData(_setup), _weights, GauntletSettings.Default, state);
        if (File.Exists(ThetaPath))
        {
            var bytes = File.ReadAllBytes(ThetaPath);
            if (bytes.Length != 8 + (8L * p))
            {
                throw new InvalidDataException($"{ThetaPath} does not hold θ for {p} parameters; delete the validator's state directory to start over.");
            }

            _nextScore = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            _theta = Publication.DecodeVector(bytes[8..(8 + (4 * p))], p);
            _lastStep = Publication.DecodeVector(bytes[(8 + (4 * p))..], p);
        }
        else
        {
            _theta = _setup.InitialTheta();
            _lastStep = new float[p];
            _nextScore = window;
            await _store.PutAsync(Publication.CheckpointKey(window), Publication.EncodeVector(_theta), ct).ConfigureAwait(false);
            Save();
        }
    }

    private async Task ScoreAsync(ulong window, ushort myUid, byte[] seed, CancellationToken ct)
    {
        var deadline = _setup.Clock.DeadlineBlock(window);
        var validators = (await _peers.CommitmentsAsync(RoleKind.Validator, ct).ConfigureAwait(false)).Select(v => v.Neuron.Uid).ToHashSet();
        var neurons = _peers.Ledger.Neurons(_setup.Netuid).Where(n => n.Uid != myUid && !validators.Contains(n.Uid)).ToList();
        var miners = neurons.Select(n => new MinerEntry(n.Uid, n.Hotkey)).ToList();
        var commitments = (await _peers.CommitmentsAsync(RoleKind.Miner, ct).ConfigureAwait(false)).Where(c => c.Commitment.Window == window && miners.Any(m => m.Uid == c.Neuron.Uid)).ToList();
        var submissions = new List<PayloadSubmission>();
        foreach (var (neuron, c, block) in commitments)
        {
            var bytes = await PeerNetwork.TryGetAsync(_peers.Open(c.Store), c.Key, _setup.Expectation.MaxBytes, ct).ConfigureAwait(false);
            submissions.Add(new PayloadSubmission(neuron.Uid, bytes, c.Digest, (long)block, c.Sample.Length == 0 ? null : c.Sample));
        }

        var report = _gauntlet!.ScoreWindow(new WindowInfo(window, (long)deadline, seed), miners, submissions, _theta, _lastStep);
        var selected = report.Selection.Select(d => commitments.First(c => c.Neuron.Uid == d.Header.Uid))
            .Select(c => new SelectedPayload(c.Neuron.Uid, c.Neuron.Hotkey, c.Commitment.Digest, c.Commitment.Store, c.Commitment.Key)).ToList();
        var aggregate = report.Selection.Count == 0 ? new float[_theta.Length] : _aggregator.Aggregate(report.Selection);
        for (var i = 0; i < aggregate.Length; i++)
        {
            _lastStep[i] = _setup.OuterLearningRate * aggregate[i];
        }

        SparseAggregator.ApplyOuterStep(_theta, aggregate, _setup.OuterLearningRate);
        await _store.PutAsync(Publication.AggregateKey(window), Publication.EncodeVector(aggregate), ct).ConfigureAwait(false);
        if ((window + 1) % CheckpointEvery == 0)
        {
            await _store.PutAsync(Publication.CheckpointKey(window + 1), Publication.EncodeVector(_theta), ct).ConfigureAwait(false);
        }

        // The selection goes last: a miner that sees it can rely on the aggregate and checkpoint being there.
        await _store.PutAsync(Publication.SelectionKey(window), Publication.EncodeSelection(window, selected), ct).ConfigureAwait(false);
        _theta.CopyTo(_evaluator.Parameters);
        var heldOut = _evaluator.Loss(_setup.HeldOut);
        _nextScore = window + 1;
        Save();
        Status = Status with
        {
            ScoredWindow = window,
            HeldOutLoss = heldOut,
            LossHistory = [.. Status.LossHistory, (window, heldOut)],
            Miners = report.Miners,
            SelectedUids = [.. selected.Select(s => s.Uid)],
        };
    }

    private void Save()
    {
        _gauntlet!.State.Save(GauntletPath);
        var p = _theta.Length;
        var bytes = new byte[8 + (8L * p)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, _nextScore);
        Publication.EncodeVector(_theta).CopyTo(bytes, 8);
        Publication.EncodeVector(_lastStep).CopyTo(bytes, 8 + (4 * p));
        var tmp = ThetaPath + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, ThetaPath, overwrite: true);
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
}
