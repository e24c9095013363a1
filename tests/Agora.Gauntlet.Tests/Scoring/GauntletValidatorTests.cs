using Agora.Gauntlet.Acceptance;
using Agora.Gauntlet.Scoring;
using Agora.Gauntlet.State;

namespace Agora.Gauntlet.Tests.Scoring;

/// <summary>The whole per-window pipeline on a synthetic loss: L(θ) = 1 + mean((θ − target)²). Random rows measure the
/// distance to target − ½, own rows to target + ½, so a miner that trained on its own pages gains more on them.</summary>
public sealed class GauntletValidatorTests
{
    private const int OwnMarker = 1;

    private sealed class QuadraticLoss : ILossEvaluator
    {
        private readonly float[] _parameters = new float[TestPayloads.Layout.TotalElements];

        public Span<float> Parameters => _parameters;

        public double Loss(int[] tokens)
        {
            // Own rows carry the marker; they measure the distance to the shifted target, random rows to the shared one.
            double shift = tokens[0] == OwnMarker ? 0.5 : -0.5;
            double sum = 0;
            for (int i = 0; i < _parameters.Length; i++)
            {
                double d = _parameters[i] - (Target(i) + shift);
                sum += d * d;
            }

            return 1 + (sum / _parameters.Length);
        }
    }

    private sealed class Rows : IEvaluationData
    {
        public int[] RandomRows(WindowInfo window, int sequences) => [0];

        public int[] OwnRows(uint uid, ulong window, int sequences) => [OwnMarker];
    }

    private sealed class Sink : IWeightSink
    {
        public List<(ulong Window, IReadOnlyList<UidWeight> Weights)> Calls { get; } = [];

        public void SetWeights(ulong window, IReadOnlyList<UidWeight> weights) => Calls.Add((window, weights));
    }

    private static float Target(int i) => (float)Math.Sin(i * 0.37);

    private static readonly float[] Theta = new float[TestPayloads.Layout.TotalElements];

    // Δ such that θ − η·Δ moves toward target + ownShift: a good miner trains on its own pages (a bit of the shift).
    private static float[] Toward(double ownShift, double strength)
    {
        var delta = new float[Theta.Length];
        for (int i = 0; i < delta.Length; i++)
        {
            delta[i] = (float)(strength * (Theta[i] - (Target(i) + ownShift)));
        }

        return delta;
    }

    private static (GauntletValidator Validator, Sink Sink) Create(ValidatorState? state = null)
    {
        var sink = new Sink();
        return (new GauntletValidator(TestPayloads.Expectation, new QuadraticLoss(), new Rows(), sink, state: state), sink);
    }

    private static float[] SampleOf(ulong window) =>
        [.. SyncScore.SampleIndices(window, Theta.Length, GauntletSettings.Default.SyncSampleSize).Select(i => Theta[i])];

    private static List<PayloadSubmission> Submissions(ulong window) =>
    [
        TestPayloads.Submit(0, window, TestPayloads.FromDelta(Toward(0.5, 1.0)), 10, SampleOf(window)),
        TestPayloads.Submit(1, window, TestPayloads.FromDelta(Toward(-0.5, 1.0)), 11, SampleOf(window)),
        TestPayloads.Submit(2, window, TestPayloads.Rescale(TestPayloads.FromDelta(Toward(0.5, 1.0)), 1.01f), 12, SampleOf(window)),
    ];

    private static readonly MinerEntry[] Miners = [.. Enumerable.Range(0, 4).Select(u => TestPayloads.Miner((uint)u))];

    [Fact]
    public void A_miner_improving_its_own_pages_earns_the_weight_while_lazy_copying_and_absent_ones_get_none()
    {
        (GauntletValidator validator, Sink sink) = Create();
        WindowReport report = null!;
        for (ulong w = 0; w < 6; w++)
        {
            report = validator.ScoreWindow(new WindowInfo(w, 100, [1]), Miners, Submissions(w), Theta, Theta);
        }

        MinerWindowResult good = report.Miners[0];
        Assert.True(good.GradientScore > 0);
        Assert.Equal(1, good.Indicator);
        Assert.True(good.Final > 0);
        Assert.Equal(1.0, good.WeightShare);
        Assert.Equal(1.0, good.Sync);

        MinerWindowResult lazy = report.Miners[1];
        Assert.True(lazy.GradientScore > 0);
        Assert.Equal(-1, lazy.Indicator);
        Assert.True(lazy.Bma < 0);
        Assert.Equal(0, lazy.Final);

        MinerWindowResult copy = report.Miners[2];
        Assert.Equal(0u, copy.Copy!.Value.Original);
        Assert.Equal(0, copy.Final);
        Assert.Equal(validator.InitialRating, copy.Rating);

        MinerWindowResult absent = report.Miners[3];
        Assert.Equal(RejectionReason.Missing, absent.Reason);
        Assert.Equal(6, validator.State.Miners[3].ConsecutiveMisses);
        Assert.Equal(0.0, absent.Penalty);

        Assert.Equal(6, sink.Calls.Count);
        Assert.Equal([0u], sink.Calls[^1].Weights.Select(w => w.Uid));
        // Aggregation takes every scored update that lowered the random-page loss and is not a copy.
        Assert.Equal([0u, 1u], report.Selection.Select(p => p.Header.Uid));
    }

    [Fact]
    public void Miss_penalties_step_down_with_consecutive_misses_and_reset_on_a_valid_payload()
    {
        (GauntletValidator validator, _) = Create();
        MinerEntry[] miners = [TestPayloads.Miner(0), TestPayloads.Miner(1)];
        var penalties = new List<double>();
        for (ulong w = 0; w < 4; w++)
        {
            PayloadSubmission[] subs = [TestPayloads.Submit(1, w, TestPayloads.FromDelta(Toward(0.5, 1.0)), 10, SampleOf(w))];
            penalties.Add(validator.ScoreWindow(new WindowInfo(w, 100, [1]), miners, subs, Theta, Theta).Miners[0].Penalty);
        }

        Assert.Equal([0.75, 0.5, 0.0, 0.0], penalties);
        PayloadSubmission[] back = [TestPayloads.Submit(0, 4, TestPayloads.FromDelta(Toward(0.5, 1.0)), 10, SampleOf(4))];
        Assert.Equal(1.0, validator.ScoreWindow(new WindowInfo(4, 100, [1]), miners, back, Theta, Theta).Miners[0].Penalty);
    }

    [Fact]
    public void An_invalid_payload_scores_zero_and_minus_99_in_the_match()
    {
        (GauntletValidator validator, _) = Create();
        List<PayloadSubmission> subs = Submissions(0);
        subs[0] = subs[0] with { CommittedDigest = new byte[32] };
        WindowReport report = validator.ScoreWindow(new WindowInfo(0, 100, [1]), Miners, subs, Theta, Theta);
        Assert.Equal(RejectionReason.CommitmentMismatch, report.Miners[0].Reason);
        Assert.Equal(0, report.Miners[0].Final);
        Assert.Null(report.Miners[0].GradientScore);
        Assert.True(report.Miners[0].Rating.Mu < report.Miners[1].Rating.Mu);
    }

    [Fact]
    public void Bad_input_is_rejected_and_changes_no_state()
    {
        (GauntletValidator validator, Sink sink) = Create();
        validator.ScoreWindow(new WindowInfo(3, 100, [1]), Miners, Submissions(3), Theta, Theta);
        byte[] before = validator.State.Serialize();

        Assert.Contains("already scored", Assert.Throws<ArgumentException>(() =>
            validator.ScoreWindow(new WindowInfo(3, 100, [1]), Miners, Submissions(3), Theta, Theta)).Message);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() =>
            validator.ScoreWindow(new WindowInfo(4, 100, [1]), [.. Miners, Miners[0]], Submissions(4), Theta, Theta)).Message);
        Assert.Contains("two submissions", Assert.Throws<ArgumentException>(() =>
            validator.ScoreWindow(new WindowInfo(4, 100, [1]), Miners, [.. Submissions(4), Submissions(4)[0]], Theta, Theta)).Message);
        Assert.ThrowsAny<ArgumentException>(() => validator.ScoreWindow(new WindowInfo(4, 100, [1]), Miners, Submissions(4), new float[3], Theta));
        Assert.Contains("hotkey is 31 bytes", Assert.Throws<ArgumentException>(() =>
            validator.ScoreWindow(new WindowInfo(4, 100, [1]), [.. Miners.Skip(1), new MinerEntry(0, new byte[31])], Submissions(4), Theta, Theta)).Message);

        Assert.Equal(before, validator.State.Serialize());
        Assert.Single(sink.Calls);
    }

    [Fact]
    public void A_uid_the_ledger_gives_to_another_hotkey_starts_from_a_fresh_record_while_the_others_keep_theirs()
    {
        (GauntletValidator validator, _) = Create();
        for (ulong w = 0; w < 3; w++)
        {
            validator.ScoreWindow(new WindowInfo(w, 100, [1]), Miners, Submissions(w), Theta, Theta);
        }

        MinerRecord before = validator.State.Miners[0];
        Assert.Equal(Convert.ToHexStringLower(Miners[0].Hotkey), before.Hotkey);
        Assert.True(before.Rating.Mu > validator.InitialRating.Mu && before.Bma > 0 && before.LastEvaluatedWindow >= 0);

        // UID 0 now belongs to a newcomer that has sent nothing yet: it must not inherit the old rating, BMA or sync.
        var newcomer = new MinerEntry(0, TestPayloads.Key(77).PublicKey);
        MinerEntry[] replaced = [newcomer, .. Miners.Skip(1)];
        WindowReport report = validator.ScoreWindow(new WindowInfo(3, 100, [1]), replaced, Submissions(3).Skip(1).ToList(), Theta, Theta);

        MinerRecord after = validator.State.Miners[0];
        Assert.Equal(Convert.ToHexStringLower(newcomer.Hotkey), after.Hotkey);
        Assert.True(after.Rating.Mu <= validator.InitialRating.Mu, $"the newcomer inherited μ {after.Rating.Mu}");
        Assert.Equal((0.0, 0.0, 1), (after.Bma, after.Sync, after.ConsecutiveMisses));
        Assert.Equal(0.0, report.Miners.Single(m => m.Uid == 0).Final);

        // UID 1 kept its hotkey and its record carries on.
        Assert.Equal(Convert.ToHexStringLower(Miners[1].Hotkey), validator.State.Miners[1].Hotkey);
        Assert.True(validator.State.Miners[1].LastEvaluatedWindow >= 0);
    }

    [Fact]
    public void A_record_loaded_without_a_hotkey_adopts_the_miners_and_keeps_its_rating()
    {
        (GauntletValidator first, _) = Create();
        first.ScoreWindow(new WindowInfo(0, 100, [1]), Miners, Submissions(0), Theta, Theta);
        var legacy = new ValidatorState { LastWindow = first.State.LastWindow };
        foreach ((uint uid, MinerRecord r) in first.State.Miners)
        {
            legacy.Set(uid, r with { Hotkey = null });
        }

        (GauntletValidator a, _) = Create(ValidatorState.Deserialize(first.State.Serialize()));
        (GauntletValidator b, _) = Create(legacy);
        WindowReport ra = a.ScoreWindow(new WindowInfo(1, 100, [1]), Miners, Submissions(1), Theta, Theta);
        WindowReport rb = b.ScoreWindow(new WindowInfo(1, 100, [1]), Miners, Submissions(1), Theta, Theta);
        Assert.Equal(ra.Miners.Select(m => (m.Rating, m.Bma, m.Final)), rb.Miners.Select(m => (m.Rating, m.Bma, m.Final)));
        Assert.Equal(a.State.Serialize(), b.State.Serialize());
    }

    [Fact]
    public void A_restored_state_continues_exactly_like_the_original()
    {
        (GauntletValidator first, _) = Create();
        for (ulong w = 0; w < 3; w++)
        {
            first.ScoreWindow(new WindowInfo(w, 100, [1]), Miners, Submissions(w), Theta, Theta);
        }

        (GauntletValidator resumed, _) = Create(ValidatorState.Deserialize(first.State.Serialize()));
        WindowReport a = first.ScoreWindow(new WindowInfo(3, 100, [1]), Miners, Submissions(3), Theta, Theta);
        WindowReport b = resumed.ScoreWindow(new WindowInfo(3, 100, [1]), Miners, Submissions(3), Theta, Theta);
        Assert.Equal(a.Miners.Select(m => (m.Rating, m.Bma, m.Final, m.Weight)), b.Miners.Select(m => (m.Rating, m.Bma, m.Final, m.Weight)));
    }
}
