namespace Agora.Gauntlet.OpenSkill;

/// <summary>
/// Weng-Lin Bayesian rating (Weng &amp; Lin 2011, JMLR 12), numerically faithful to openskill.py 6.2.0: the same
/// operations in the same order, so its published fixtures are reproduced to the last bits. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Deliberate differences from openskill.py: ranks are compared as numbers (openskill.py treats non-integer ranks
/// as all distinct), a τ of 0 passed per call means 0 (not "use the model's τ"), and the per-call limit-σ override is
/// not sticky. Weighted matches follow openskill.py 6.2.0 exactly, including its two edge rules: a one-player team's
/// weight normalises to 2, and a team whose ω is exactly 0 takes the "multiply by the weight" branch.
/// </remarks>
public sealed class OpenSkillModel
{
    public OpenSkillModel(OpenSkillModelKind kind, OpenSkillOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"Unknown OpenSkill model kind {(int)kind}.", nameof(kind));
        }

        options.Validate();
        Kind = kind;
        Options = options;
    }

    public OpenSkillModelKind Kind { get; }
    public OpenSkillOptions Options { get; }

    /// <summary>A new player's rating: (μ, σ) of the options.</summary>
    public Rating NewRating() => new(Options.Mu, Options.Sigma);

    /// <summary>Rates one match. Returns new ratings in the same team and player order; the input is not modified.</summary>
    public Rating[][] Rate(IReadOnlyList<IReadOnlyList<Rating>> teams, RateOptions? outcome = null)
    {
        outcome ??= new RateOptions();
        ValidateTeams(teams);
        double[]? ranks = ValidateVector(outcome.Ranks, teams.Count, "ranks");
        double[]? scores = ValidateVector(outcome.Scores, teams.Count, "scores");
        if (ranks is not null && scores is not null)
        {
            throw new ArgumentException("Give either ranks or scores for a match, not both.");
        }

        double[][]? weights = ValidateWeights(outcome.Weights, teams);
        double tau = outcome.Tau ?? Options.Tau;
        if (!double.IsFinite(tau) || tau < 0)
        {
            throw new ArgumentException($"tau must be a finite number >= 0, got {tau}.");
        }

        int n = teams.Count;
        double tauSquared = tau * tau;
        var widened = new Rating[n][];
        for (int t = 0; t < n; t++)
        {
            widened[t] = new Rating[teams[t].Count];
            for (int p = 0; p < teams[t].Count; p++)
            {
                Rating r = teams[t][p];
                widened[t][p] = new Rating(r.Mu, Math.Sqrt((r.Sigma * r.Sigma) + tauSquared));
            }
        }

        if (ranks is null && scores is not null)
        {
            ranks = new double[n];
            for (int t = 0; t < n; t++)
            {
                ranks[t] = -scores[t];
            }
        }

        if (weights is not null)
        {
            for (int t = 0; t < n; t++)
            {
                weights[t] = NormalizeWeights(weights[t]);
            }
        }

        // Teams are processed in rank order (a stable sort, as Python's), then put back in input order.
        int[] order = new int[n];
        for (int t = 0; t < n; t++)
        {
            order[t] = t;
        }

        if (ranks is not null)
        {
            double[] keys = ranks;
            order = [.. order.OrderBy(t => keys[t])];
        }

        var sortedTeams = new Rating[n][];
        var sortedWeights = weights is null ? null : new double[n][];
        var sortedScores = scores is null ? null : new double[n];
        int[] positions = new int[n];
        for (int k = 0; k < n; k++)
        {
            sortedTeams[k] = widened[order[k]];
            if (sortedWeights is not null)
            {
                sortedWeights[k] = weights![order[k]];
            }

            if (sortedScores is not null)
            {
                sortedScores[k] = scores![order[k]];
            }

            positions[k] = k;
            if (ranks is not null && k > 0)
            {
                positions[k] = ranks[order[k - 1]] < ranks[order[k]] ? k : positions[k - 1];
            }
        }

        TeamRating[] teamRatings = TeamRatings(sortedTeams, positions);
        Rating[][] computed = Kind switch
        {
            OpenSkillModelKind.PlackettLuce => ComputePlackettLuce(teamRatings, sortedWeights, sortedScores),
            OpenSkillModelKind.BradleyTerryFull => ComputePairwise(teamRatings, sortedWeights, partial: false, thurstone: false),
            OpenSkillModelKind.BradleyTerryPart => ComputePairwise(teamRatings, sortedWeights, partial: true, thurstone: false),
            OpenSkillModelKind.ThurstoneMostellerFull => ComputePairwise(teamRatings, sortedWeights, partial: false, thurstone: true),
            _ => ComputePairwise(teamRatings, sortedWeights, partial: true, thurstone: true),
        };

        var result = new Rating[n][];
        for (int k = 0; k < n; k++)
        {
            result[order[k]] = computed[k];
        }

        if (outcome.LimitSigma ?? Options.LimitSigma)
        {
            for (int t = 0; t < n; t++)
            {
                for (int p = 0; p < result[t].Length; p++)
                {
                    result[t][p] = result[t][p] with { Sigma = Math.Min(result[t][p].Sigma, teams[t][p].Sigma) };
                }
            }
        }

        return result;
    }

    /// <summary>Each team's probability of winning, normalised to sum to 1.</summary>
    public double[] PredictWin(IReadOnlyList<IReadOnlyList<Rating>> teams)
    {
        ValidateTeams(teams);
        TeamRating[] ratings = TeamRatings(ToArrays(teams), null);
        double pairVariance = PairVariance(teams);
        int n = ratings.Length;
        if (n == 2)
        {
            double p = NormalDistribution.Cdf((ratings[0].Mu - ratings[1].Mu)
                / Math.Sqrt(pairVariance + ratings[0].SigmaSquared + ratings[1].SigmaSquared));
            return [p, 1 - p];
        }

        return NormalisedPairwiseWins(ratings, pairVariance);
    }

    /// <summary>Each team's predicted position (competition ranking by win probability) and that probability.</summary>
    public RankPrediction[] PredictRank(IReadOnlyList<IReadOnlyList<Rating>> teams)
    {
        ValidateTeams(teams);
        TeamRating[] ratings = TeamRatings(ToArrays(teams), null);
        double[] probabilities = NormalisedPairwiseWins(ratings, PairVariance(teams));
        int n = probabilities.Length;
        int[] byProbability = [.. Enumerable.Range(0, n).OrderByDescending(t => probabilities[t])];
        var predictions = new RankPrediction[n];
        int rank = 1;
        for (int k = 0; k < n; k++)
        {
            if (k > 0 && probabilities[byProbability[k]] < probabilities[byProbability[k - 1]])
            {
                rank = k + 1;
            }

            predictions[byProbability[k]] = new RankPrediction(rank, probabilities[byProbability[k]]);
        }

        return predictions;
    }

    private double PairVariance(IReadOnlyList<IReadOnlyList<Rating>> teams)
    {
        double betaSquared = Options.Beta * Options.Beta;
        if (Kind == OpenSkillModelKind.PlackettLuce)
        {
            return 2 * betaSquared;
        }

        int players = 0;
        foreach (IReadOnlyList<Rating> team in teams)
        {
            players += team.Count;
        }

        return players * betaSquared;
    }

    private static double[] NormalisedPairwiseWins(TeamRating[] ratings, double pairVariance)
    {
        int n = ratings.Length;
        var wins = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0.0;
            for (int j = 0; j < n; j++)
            {
                if (i != j)
                {
                    sum += NormalDistribution.Cdf((ratings[i].Mu - ratings[j].Mu)
                        / Math.Sqrt(pairVariance + ratings[i].SigmaSquared + ratings[j].SigmaSquared));
                }
            }

            wins[i] = sum / (n - 1);
        }

        double total = 0.0;
        foreach (double w in wins)
        {
            total += w;
        }

        for (int i = 0; i < n; i++)
        {
            wins[i] /= total;
        }

        return wins;
    }

    private Rating[][] ComputePlackettLuce(TeamRating[] teams, double[][]? weights, double[]? scores)
    {
        int n = teams.Length;
        double betaSquared = Options.Beta * Options.Beta;
        double collective = 0.0;
        foreach (TeamRating team in teams)
        {
            collective += team.SigmaSquared + betaSquared;
        }

        double c = Math.Sqrt(collective);
        double[] strengths = MarginAdjustedMu(teams, scores);
        var exps = new double[n];
        for (int i = 0; i < n; i++)
        {
            exps[i] = Math.Exp(strengths[i] / c);
        }

        // sumQ[q] = Σ e^(μ_i/c) over teams i ranked no better than q, added in team order as openskill.py does.
        var sumQ = new double[n];
        var seen = new bool[n];
        for (int i = 0; i < n; i++)
        {
            for (int q = 0; q < n; q++)
            {
                if (teams[i].Rank >= teams[q].Rank)
                {
                    sumQ[q] = seen[q] ? sumQ[q] + exps[i] : exps[i];
                    seen[q] = true;
                }
            }
        }

        var tieCount = new int[n];
        for (int q = 0; q < n; q++)
        {
            for (int s = 0; s < n; s++)
            {
                if (teams[s].Rank == teams[q].Rank)
                {
                    tieCount[q]++;
                }
            }
        }

        var result = new Rating[n][];
        for (int i = 0; i < n; i++)
        {
            double omega = 0.0;
            double delta = 0.0;
            for (int q = 0; q < n; q++)
            {
                double p = exps[i] / sumQ[q];
                if (teams[q].Rank <= teams[i].Rank)
                {
                    delta += p * (1 - p) / tieCount[q];
                    if (q == i)
                    {
                        omega += (1 - p) / tieCount[q];
                    }
                    else
                    {
                        omega -= p / tieCount[q];
                    }
                }
            }

            omega *= teams[i].SigmaSquared / c;
            delta *= teams[i].SigmaSquared / (c * c);
            delta *= Math.Sqrt(teams[i].SigmaSquared) / c;
            result[i] = UpdatePlayers(teams[i], omega, delta, weights?[i]);
        }

        return result;
    }

    // The margin option (openskill.py 6.x, with scores): a team's strength is shifted by the average over opponents
    // with a different score of (μ_i − μ_j)(ln(1 + |Δs|/margin) − 1), signed by who scored more, once |Δs| > margin.
    private double[] MarginAdjustedMu(TeamRating[] teams, double[]? scores)
    {
        int n = teams.Length;
        var mus = new double[n];
        for (int i = 0; i < n; i++)
        {
            mus[i] = teams[i].Mu;
        }

        double margin = Options.Margin;
        if (scores is null || margin <= 0)
        {
            return mus;
        }

        var adjusted = new double[n];
        for (int i = 0; i < n; i++)
        {
            double adjustment = 0.0;
            int comparisons = 0;
            for (int j = 0; j < n; j++)
            {
                double difference = Math.Abs(scores[i] - scores[j]);
                if (i == j || difference <= 0)
                {
                    continue;
                }

                double factor = difference > margin ? Math.Log(1 + (difference / margin)) : 1.0;
                double direction = scores[i] > scores[j] ? 1.0 : -1.0;
                adjustment += (teams[i].Mu - teams[j].Mu) * (factor - 1) * direction;
                comparisons++;
            }

            adjusted[i] = comparisons > 0 ? mus[i] + (adjustment / comparisons) : mus[i];
        }

        return adjusted;
    }

    private Rating[][] ComputePairwise(TeamRating[] teams, double[][]? weights, bool partial, bool thurstone)
    {
        int n = teams.Length;
        double twoBetaSquared = 2 * (Options.Beta * Options.Beta);
        double scale = thurstone && partial ? 2.0 : 1.0;
        var result = new Rating[n][];
        for (int i = 0; i < n; i++)
        {
            TeamRating ti = teams[i];
            double omega = 0.0;
            double delta = 0.0;
            int first = partial ? Math.Max(0, i - Options.WindowSize) : 0;
            int last = partial ? Math.Min(n - 1, i + Options.WindowSize) : n - 1;
            int compared = 0;
            for (int q = first; q <= last; q++)
            {
                if (q == i)
                {
                    continue;
                }

                TeamRating tq = teams[q];
                compared++;
                double ciq = scale * Math.Sqrt(ti.SigmaSquared + tq.SigmaSquared + twoBetaSquared);
                double sigmaSquaredToCiq = ti.SigmaSquared / ciq;
                double gamma = Math.Sqrt(ti.SigmaSquared) / ciq;
                if (thurstone)
                {
                    double deltaMu = (ti.Mu - tq.Mu) / ciq;
                    double t = Options.Epsilon / ciq;
                    if (tq.Rank > ti.Rank)
                    {
                        omega += sigmaSquaredToCiq * TruncatedGaussian.V(deltaMu, t);
                        delta += gamma * sigmaSquaredToCiq / ciq * TruncatedGaussian.W(deltaMu, t);
                    }
                    else if (tq.Rank < ti.Rank)
                    {
                        omega += -sigmaSquaredToCiq * TruncatedGaussian.V(-deltaMu, t);
                        delta += gamma * sigmaSquaredToCiq / ciq * TruncatedGaussian.W(-deltaMu, t);
                    }
                    else
                    {
                        omega += sigmaSquaredToCiq * TruncatedGaussian.VTilde(deltaMu, t);
                        delta += gamma * sigmaSquaredToCiq / ciq * TruncatedGaussian.WTilde(deltaMu, t);
                    }
                }
                else
                {
                    double p = 1 / (1 + Math.Exp((tq.Mu - ti.Mu) / ciq));
                    double s = tq.Rank > ti.Rank ? 1.0 : tq.Rank == ti.Rank ? 0.5 : 0.0;
                    omega += sigmaSquaredToCiq * (s - p);
                    delta += gamma * sigmaSquaredToCiq / ciq * p * (1 - p);
                }
            }

            if (partial && compared > 0)
            {
                omega /= compared;
                delta /= compared;
            }

            result[i] = UpdatePlayers(ti, omega, delta, weights?[i]);
        }

        return result;
    }

    private Rating[] UpdatePlayers(TeamRating team, double omega, double delta, double[]? weights)
    {
        var updated = new Rating[team.Players.Length];
        for (int j = 0; j < updated.Length; j++)
        {
            double weight = weights is null ? 1.0 : weights[j];
            double mu = team.Players[j].Mu;
            double sigma = team.Players[j].Sigma;
            double share = sigma * sigma / team.SigmaSquared;

            // openskill.py 6.2.0 branches on ω ≥ 0: at ω = 0 (e.g. equally strong teams that tied) μ stays put either
            // way, but σ shrinks by share·δ·w, not share·δ/w.
            if (omega >= 0)
            {
                mu += share * omega * weight;
                sigma *= Math.Sqrt(Math.Max(1 - (share * delta * weight), Options.Kappa));
            }
            else
            {
                mu += share * omega / weight;
                sigma *= Math.Sqrt(Math.Max(1 - (share * delta / weight), Options.Kappa));
            }

            updated[j] = new Rating(mu, sigma);
        }

        return updated;
    }

    // Team sums run over the players sorted by ordinal, best first (stable), because that is the order
    // openskill.py adds them in; with balance on, weaker players count for more.
    private TeamRating[] TeamRatings(Rating[][] teams, int[]? positions)
    {
        var ratings = new TeamRating[teams.Length];
        for (int t = 0; t < teams.Length; t++)
        {
            Rating[] team = teams[t];
            Rating[] byOrdinal = [.. team.OrderByDescending(p => p.Ordinal())];
            double maxOrdinal = byOrdinal[0].Ordinal();
            double mu = 0.0;
            double sigmaSquared = 0.0;
            foreach (Rating player in byOrdinal)
            {
                double balanceWeight = Options.Balance
                    ? 1 + ((maxOrdinal - player.Ordinal()) / (maxOrdinal + Options.Kappa))
                    : 1.0;
                mu += player.Mu * balanceWeight;
                double weightedSigma = player.Sigma * balanceWeight;
                sigmaSquared += weightedSigma * weightedSigma;
            }

            ratings[t] = new TeamRating(mu, sigmaSquared, team, positions?[t] ?? t);
        }

        return ratings;
    }

    // openskill.py 6.2.0's _normalize(weights, 1, 2): min → 1, max → 2, linearly. A one-player team gets the target
    // maximum, 2; a team whose weights are all equal gets 1 everywhere (upstream divides by a 1e-4 stand-in range,
    // and every numerator is 0).
    private static double[] NormalizeWeights(double[] weights)
    {
        if (weights.Length == 1)
        {
            return [2.0];
        }

        double min = weights.Min();
        double max = weights.Max();
        double range = max - min;
        var normalized = new double[weights.Length];
        for (int p = 0; p < weights.Length; p++)
        {
            normalized[p] = range == 0 ? 1.0 : (((weights[p] - min) / range) * (2.0 - 1.0)) + 1.0;
        }

        return normalized;
    }

    private static Rating[][] ToArrays(IReadOnlyList<IReadOnlyList<Rating>> teams)
    {
        var arrays = new Rating[teams.Count][];
        for (int t = 0; t < teams.Count; t++)
        {
            arrays[t] = [.. teams[t]];
        }

        return arrays;
    }

    private static void ValidateTeams(IReadOnlyList<IReadOnlyList<Rating>> teams)
    {
        ArgumentNullException.ThrowIfNull(teams);
        if (teams.Count < 2)
        {
            throw new ArgumentException($"A match needs at least 2 teams, got {teams.Count}.");
        }

        for (int t = 0; t < teams.Count; t++)
        {
            if (teams[t] is null || teams[t].Count < 1)
            {
                throw new ArgumentException($"Team {t} has no players; every team needs at least one.");
            }

            for (int p = 0; p < teams[t].Count; p++)
            {
                Rating r = teams[t][p];
                if (!double.IsFinite(r.Mu) || !double.IsFinite(r.Sigma) || r.Sigma <= 0)
                {
                    throw new ArgumentException(
                        $"Team {t} player {p} has an invalid rating (mu {r.Mu}, sigma {r.Sigma}); mu must be finite and sigma finite and > 0.");
                }
            }
        }
    }

    private static double[]? ValidateVector(IReadOnlyList<double>? values, int teamCount, string name)
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count != teamCount)
        {
            throw new ArgumentException($"{name} has {values.Count} entries but the match has {teamCount} teams.");
        }

        for (int t = 0; t < values.Count; t++)
        {
            if (!double.IsFinite(values[t]))
            {
                throw new ArgumentException($"{name}[{t}] is {values[t]}; every entry must be a finite number.");
            }
        }

        return [.. values];
    }

    private static double[][]? ValidateWeights(IReadOnlyList<IReadOnlyList<double>>? weights, IReadOnlyList<IReadOnlyList<Rating>> teams)
    {
        if (weights is null)
        {
            return null;
        }

        if (weights.Count != teams.Count)
        {
            throw new ArgumentException($"weights has {weights.Count} teams but the match has {teams.Count}.");
        }

        var copy = new double[weights.Count][];
        for (int t = 0; t < weights.Count; t++)
        {
            if (weights[t] is null || weights[t].Count != teams[t].Count)
            {
                throw new ArgumentException(
                    $"weights for team {t} has {weights[t]?.Count ?? 0} entries but the team has {teams[t].Count} players.");
            }

            for (int p = 0; p < weights[t].Count; p++)
            {
                if (!double.IsFinite(weights[t][p]))
                {
                    throw new ArgumentException($"weights[{t}][{p}] is {weights[t][p]}; weights must be finite numbers.");
                }
            }

            copy[t] = [.. weights[t]];
        }

        return copy;
    }

    private readonly record struct TeamRating(double Mu, double SigmaSquared, Rating[] Players, int Rank);
}
