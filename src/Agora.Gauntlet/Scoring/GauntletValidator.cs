using Agora.Gauntlet.Acceptance;
using Agora.Gauntlet.OpenSkill;
using Agora.Gauntlet.State;
using Agora.SparseLoCo;
using Agora.SparseLoCo.Aggregation;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.Gauntlet.Scoring;

/// <summary>
/// Scores one window (docs/spec-training.md, Gauntlet): accept or reject every payload, detect copies, sample miners,
/// measure each sampled update's effect with a trial step θ' = θ − η·(median-clipped update) on random and own pages,
/// rate the window as one Plackett-Luce match, combine rating, BMA, sync and penalties into final scores, and hand the
/// resulting weights to the ledger port. The state is changed only once the whole window has been scored.
/// </summary>
public sealed class GauntletValidator
{
    private readonly TensorLayout _layout;
    private readonly PayloadAcceptor _acceptor;
    private readonly ILossEvaluator _evaluator;
    private readonly IEvaluationData _data;
    private readonly IWeightSink _sink;
    private readonly SparseAggregator _aggregator;
    private readonly OpenSkillModel _ratings;

    // θ of the window being scored, kept between the trial evaluations. // (P)
    private readonly float[] _theta;

    public GauntletValidator(PayloadExpectation expectation, ILossEvaluator evaluator, IEvaluationData data, IWeightSink sink,
        GauntletSettings? settings = null, ValidatorState? state = null)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sink);
        Settings = settings ?? GauntletSettings.Default;
        Settings.Validate();
        _layout = expectation.Layout;
        if (evaluator.Parameters.Length != _layout.TotalElements)
        {
            throw new ArgumentException($"The loss evaluator holds {evaluator.Parameters.Length} parameters; the payload layout has {_layout.TotalElements}.", nameof(evaluator));
        }

        _acceptor = new PayloadAcceptor(expectation);
        _evaluator = evaluator;
        _data = data;
        _sink = sink;
        _aggregator = new SparseAggregator(_layout);
        _ratings = new OpenSkillModel(OpenSkillModelKind.PlackettLuce, new OpenSkillOptions { Beta = Settings.RatingBeta, Tau = Settings.RatingTau });
        State = state ?? new ValidatorState();
        _theta = new float[_layout.TotalElements];
    }

    public GauntletSettings Settings { get; }
    public ValidatorState State { get; }

    /// <summary>A new miner's rating (μ 25, σ 25/3).</summary>
    public Rating InitialRating => _ratings.NewRating();

    /// <param name="window">The window being scored; windows must increase.</param>
    /// <param name="miners">Every registered miner.</param>
    /// <param name="submissions">What miners committed and uploaded; a miner without one is missing.</param>
    /// <param name="theta">The global weights at the start of the window. // (P)</param>
    /// <param name="lastOuterStep">θ_w − θ_(w−1), the most recent outer step, for the sync check; empty before the first. // (P)</param>
    public WindowReport ScoreWindow(WindowInfo window, IReadOnlyList<MinerEntry> miners, IReadOnlyList<PayloadSubmission> submissions,
        ReadOnlySpan<float> theta, ReadOnlySpan<float> lastOuterStep)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(miners);
        ArgumentNullException.ThrowIfNull(submissions);
        _layout.RequireFlatLength(theta.Length, "θ");
        if (!lastOuterStep.IsEmpty)
        {
            _layout.RequireFlatLength(lastOuterStep.Length, "the last outer step");
        }

        if (State.LastWindow is { } last && window.Window <= last)
        {
            throw new ArgumentException($"Window {window.Window} was already scored (the last scored window is {last}).", nameof(window));
        }

        var byUid = new SortedDictionary<uint, MinerEntry>();
        foreach (MinerEntry miner in miners)
        {
            if (miner.Hotkey.Length != 32 || !miner.Hotkey.AsSpan().ContainsAnyExcept((byte)0))
            {
                throw new ArgumentException($"UID {miner.Uid}'s hotkey is {miner.Hotkey.Length} bytes{(miner.Hotkey.Length == 32 ? ", all zero" : "")}; an Ed25519 public key is 32.", nameof(miners));
            }

            if (!byUid.TryAdd(miner.Uid, miner))
            {
                throw new ArgumentException($"UID {miner.Uid} is listed twice among the miners.", nameof(miners));
            }
        }

        var submitted = new Dictionary<uint, PayloadSubmission>();
        foreach (PayloadSubmission s in submissions)
        {
            if (!byUid.ContainsKey(s.Uid))
            {
                throw new ArgumentException($"A submission is filed under UID {s.Uid}, which is not a registered miner.", nameof(submissions));
            }

            if (!submitted.TryAdd(s.Uid, s))
            {
                throw new ArgumentException($"UID {s.Uid} has two submissions for window {window.Window}.", nameof(submissions));
            }
        }

        theta.CopyTo(_theta);
        Rating initial = InitialRating;
        var verdicts = new SortedDictionary<uint, AcceptanceResult>();
        foreach ((uint uid, MinerEntry miner) in byUid)
        {
            verdicts[uid] = _acceptor.Check(miner, submitted.GetValueOrDefault(uid), window);
        }

        var accepted = verdicts.Values.Where(v => v.Accepted).Select(v => (v.Uid, v.CommitBlock, v.Payload!.Update)).ToList();
        var copies = CopyDetector.Find(accepted, Settings.CopyHalveOverlap).ToDictionary(c => c.Copier);
        bool IsReset(uint uid) => copies.TryGetValue(uid, out CopyFinding c) && c.Overlap >= Settings.CopyResetOverlap;

        // Each miner's record as it stands, bound to its hotkey: a UID the ledger gave to another hotkey starts afresh.
        var records = new SortedDictionary<uint, MinerRecord>();
        foreach ((uint uid, MinerEntry miner) in byUid)
        {
            string hotkey = Convert.ToHexStringLower(miner.Hotkey);
            MinerRecord known = State.Get(uid, initial);
            records[uid] = (known.Hotkey is { } h && h != hotkey ? MinerRecord.New(initial) : known) with { Hotkey = hotkey };
        }

        uint[] sampled = MinerSampler.Sample([.. byUid.Keys], uid => records[uid].LastEvaluatedWindow, window.Window, Settings.SampleSize);
        var trials = ScoreTrials(window, sampled.Where(uid => verdicts[uid].Accepted && !IsReset(uid)).Select(uid => verdicts[uid]).ToList(),
            out double randomBefore);

        int[] syncIndices = SyncScore.SampleIndices(window.Window, _layout.TotalElements, Settings.SyncSampleSize);

        if (sampled.Length >= 2)
        {
            Rating[][] teams = [.. sampled.Select(uid => new[] { records[uid].Rating })];
            double[] scores = [.. sampled.Select(uid => trials.TryGetValue(uid, out Trial t) ? t.Gradient : Settings.MissingScore)];
            Rating[][] rated = _ratings.Rate(teams, new RateOptions { Scores = scores });
            for (int i = 0; i < sampled.Length; i++)
            {
                records[sampled[i]] = records[sampled[i]] with { Rating = rated[i][0] };
            }
        }

        var results = new List<(uint Uid, double Final)>();
        var pending = new SortedDictionary<uint, (MinerRecord Record, AcceptanceResult Verdict, bool Sampled, Trial? Trial, double Penalty, double Final)>();
        foreach ((uint uid, AcceptanceResult verdict) in verdicts)
        {
            MinerRecord record = records[uid];
            bool isSampled = Array.BinarySearch(sampled, uid) >= 0;
            Trial? trial = trials.TryGetValue(uid, out Trial t) ? t : null;
            if (isSampled)
            {
                record = record with { LastEvaluatedWindow = (long)window.Window };
            }

            if (trial is { } tr)
            {
                record = record with { Bma = (Settings.BmaDecay * record.Bma) + ((1 - Settings.BmaDecay) * tr.Indicator) };
            }

            if (verdict.Accepted && submitted[uid].ParameterSample is { } sample)
            {
                double x = sample.Length == syncIndices.Length
                    ? SyncScore.Distance(sample, theta, lastOuterStep, syncIndices, Settings.SyncCap)
                    : Settings.SyncCap;
                record = record with { Sync = SyncScore.FromDistance(x, Settings.SyncCap, Settings.SyncExponent) };
            }

            bool missed = verdict.Reason is RejectionReason.Missing or RejectionReason.Late;
            record = record with { ConsecutiveMisses = verdict.Accepted ? 0 : missed ? record.ConsecutiveMisses + 1 : record.ConsecutiveMisses };

            double penalty = record.ConsecutiveMisses == 0 ? 1.0 : Settings.MissPenalties[Math.Min(record.ConsecutiveMisses, Settings.MissPenalties.Count) - 1];
            if (copies.TryGetValue(uid, out CopyFinding copy))
            {
                penalty *= copy.Overlap >= Settings.CopyResetOverlap ? 0.0 : Settings.CopyHalveFactor;
            }

            if (IsReset(uid))
            {
                record = MinerRecord.New(initial) with { LastEvaluatedWindow = record.LastEvaluatedWindow, ConsecutiveMisses = record.ConsecutiveMisses, Hotkey = record.Hotkey };
            }

            bool invalid = !verdict.Accepted && !missed;
            double final = invalid ? 0.0 : record.Rating.Ordinal() * Math.Max(0, record.Bma) * record.Sync * penalty;
            if (final == 0)
            {
                final = 0; // normalises −0
            }

            pending[uid] = (record, verdict, isSampled, trial, penalty, final);
            results.Add((uid, final));
        }

        UidWeight[] weights = WeightProfile.Compute(results, Settings.WeightedMiners);
        long total = weights.Sum(w => (long)w.Weight);
        var report = new List<MinerWindowResult>();
        foreach ((uint uid, var p) in pending)
        {
            ushort weight = weights.FirstOrDefault(w => w.Uid == uid).Weight;
            report.Add(new MinerWindowResult(uid, p.Verdict.Reason, p.Verdict.Message, p.Sampled, p.Trial?.Gradient, p.Trial?.Indicator,
                p.Record.Bma, p.Record.Rating, p.Record.Sync, p.Penalty, p.Final, weight, total == 0 ? 0 : (double)weight / total,
                copies.TryGetValue(uid, out CopyFinding c) ? c : null));
        }

        DecodedPayload[] selection = [.. pending
            .Where(p => p.Value.Trial is { Gradient: > 0 } && !copies.ContainsKey(p.Key))
            .Select(p => p.Value.Verdict.Payload!)];

        _sink.SetWeights(window.Window, weights);
        foreach ((uint uid, var p) in pending)
        {
            State.Set(uid, p.Record);
        }

        State.LastWindow = window.Window;
        return new WindowReport(window.Window, randomBefore, report, weights, selection);
    }

    private readonly record struct Trial(double Gradient, int Indicator);

    // θ' is written straight into the evaluator's parameter buffer, so scoring allocates nothing per miner beyond the
    // token rows it is handed.
    private Dictionary<uint, Trial> ScoreTrials(WindowInfo window, List<AcceptanceResult> evaluated, out double randomBefore)
    {
        var trials = new Dictionary<uint, Trial>();
        randomBefore = double.NaN;
        if (evaluated.Count == 0)
        {
            return trials;
        }

        int[] randomRows = _data.RandomRows(window, Settings.RandomSequences);
        Span<float> parameters = _evaluator.Parameters;
        ReadOnlySpan<float> theta = _theta;
        theta.CopyTo(parameters);
        randomBefore = _evaluator.Loss(randomRows);
        double[][] factors = _aggregator.ClipFactors([.. evaluated.Select(v => v.Payload!.Update)]);
        for (int m = 0; m < evaluated.Count; m++)
        {
            uint uid = evaluated[m].Uid;
            CompressedUpdate update = evaluated[m].Payload!.Update;
            int[] ownRows = _data.OwnRows(uid, window.Window, Settings.OwnSequences);
            theta.CopyTo(parameters);
            double ownBefore = _evaluator.Loss(ownRows);
            for (int t = 0; t < update.Tensors.Count; t++)
            {
                update.Tensors[t].AccumulateInto(_layout.Slice(parameters, t), (float)(-Settings.TrialStepSize * factors[m][t]));
            }

            double randomAfter = _evaluator.Loss(randomRows);
            double ownAfter = _evaluator.Loss(ownRows);
            double gradient = (randomBefore - randomAfter) / randomBefore;
            double ownGain = (ownBefore - ownAfter) / ownBefore;
            if (!double.IsFinite(gradient) || !double.IsFinite(ownGain))
            {
                gradient = Settings.MissingScore;
                ownGain = double.NegativeInfinity;
            }

            // The own-pages check passes only if the update actually lowered the loss on the miner's pages, and by more
            // (relatively) than on random pages; a random update moves both by about the same tiny amount either way.
            trials[uid] = new Trial(gradient, ownGain > 0 && ownGain > gradient ? 1 : -1);
        }

        theta.CopyTo(parameters);
        return trials;
    }
}
