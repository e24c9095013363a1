using Agora.Gauntlet.OpenSkill;

namespace Agora.Gauntlet.Tests.OpenSkill;

public sealed class OpenSkillModelTests
{
    private static readonly OpenSkillModel Pl = new(OpenSkillModelKind.PlackettLuce, new OpenSkillOptions());

    [Fact]
    public void Ordinal_is_mu_minus_three_sigma_by_default()
    {
        var r = new Rating(25, 25.0 / 3.0);
        Assert.Equal(0.0, r.Ordinal(), 12);
        Assert.Equal(25 - (2 * 25.0 / 3.0), r.Ordinal(2), 12);
    }

    [Fact]
    public void Winner_gains_and_loser_loses_and_sigma_shrinks()
    {
        Rating[][] result = Pl.Rate([[Pl.NewRating()], [Pl.NewRating()]]);
        Assert.True(result[0][0].Mu > 25);
        Assert.True(result[1][0].Mu < 25);
        Assert.True(result[0][0].Sigma < 25.0 / 3.0);
    }

    [Fact]
    public void Ranks_and_equivalent_scores_give_the_same_ratings()
    {
        Rating[][] teams = [[new Rating(20, 6)], [new Rating(30, 4)], [new Rating(25, 8)]];
        Rating[][] byRanks = Pl.Rate(teams, new RateOptions { Ranks = [3, 1, 2] });
        Rating[][] byScores = Pl.Rate(teams, new RateOptions { Scores = [0, 10, 5] });
        Assert.Equal(byRanks.SelectMany(t => t), byScores.SelectMany(t => t));
    }

    [Fact]
    public void Rating_does_not_modify_the_input()
    {
        Rating[][] teams = [[new Rating(20, 6)], [new Rating(30, 4)]];
        _ = Pl.Rate(teams);
        Assert.Equal(new Rating(20, 6), teams[0][0]);
    }

    [Fact]
    public void Limit_sigma_keeps_sigma_from_growing_when_tau_is_large()
    {
        Rating[][] teams = [[new Rating(25, 1)], [new Rating(25, 1)]];
        Rating[][] free = Pl.Rate(teams, new RateOptions { Tau = 5 });
        Rating[][] limited = Pl.Rate(teams, new RateOptions { Tau = 5, LimitSigma = true });
        Assert.True(free[0][0].Sigma > 1);
        Assert.True(limited[0][0].Sigma <= 1);
    }

    [Fact]
    public void Margin_changes_plackett_luce_only_when_skills_differ_and_scores_are_far_apart()
    {
        Rating[][] teams = [[new Rating(30, 5)], [new Rating(20, 5)], [new Rating(25, 5)]];
        var withMargin = new OpenSkillModel(OpenSkillModelKind.PlackettLuce, new OpenSkillOptions { Margin = 1.0 });
        var outcome = new RateOptions { Scores = [100, 0, 50] };
        Assert.NotEqual(Pl.Rate(teams, outcome)[0][0].Mu, withMargin.Rate(teams, outcome)[0][0].Mu);

        Rating[][] equal = [[new Rating(25, 5)], [new Rating(25, 5)]];
        Assert.Equal(Pl.Rate(equal, new RateOptions { Scores = [9, 1] })[0][0], withMargin.Rate(equal, new RateOptions { Scores = [9, 1] })[0][0]);
    }

    [Theory]
    [InlineData(OpenSkillModelKind.PlackettLuce)]
    [InlineData(OpenSkillModelKind.BradleyTerryFull)]
    [InlineData(OpenSkillModelKind.BradleyTerryPart)]
    [InlineData(OpenSkillModelKind.ThurstoneMostellerFull)]
    [InlineData(OpenSkillModelKind.ThurstoneMostellerPart)]
    public void Predict_win_sums_to_one_and_favours_the_stronger_team(OpenSkillModelKind kind)
    {
        var model = new OpenSkillModel(kind, new OpenSkillOptions());
        Rating[][] three = [[new Rating(30, 3)], [new Rating(20, 3)], [new Rating(25, 3)]];
        double[] p = model.PredictWin(three);
        Assert.Equal(1.0, p.Sum(), 12);
        Assert.True(p[0] > p[2] && p[2] > p[1]);

        double[] two = model.PredictWin([[new Rating(25, 3)], [new Rating(25, 3)]]);
        Assert.Equal(0.5, two[0], 15);
        Assert.Equal(0.5, two[1], 15);
    }

    [Fact]
    public void Predict_rank_uses_competition_ranking_of_win_probability()
    {
        RankPrediction[] predictions = Pl.PredictRank([[new Rating(20, 3)], [new Rating(30, 3)], [new Rating(20, 3)], [new Rating(40, 3)]]);
        Assert.Equal([3, 2, 3, 1], predictions.Select(p => p.Rank));
        Assert.Equal(1.0, predictions.Sum(p => p.Probability), 12);
        Assert.Equal(predictions[0].Probability, predictions[2].Probability);
    }

    [Fact]
    public void Partial_pairing_ignores_teams_outside_the_window()
    {
        var narrow = new OpenSkillModel(OpenSkillModelKind.BradleyTerryPart, new OpenSkillOptions { WindowSize = 1 });
        Rating[][] teams = [[new Rating(25, 5)], [new Rating(25, 5)], [new Rating(25, 5)], [new Rating(60, 5)]];
        Rating[][] withStrongLast = narrow.Rate(teams);
        teams[3][0] = new Rating(10, 5);
        Rating[][] withWeakLast = narrow.Rate(teams);
        Assert.Equal(withStrongLast[0][0], withWeakLast[0][0]);
        Assert.NotEqual(withStrongLast[2][0], withWeakLast[2][0]);
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_a_message_that_names_the_problem()
    {
        Rating[][] teams = [[Pl.NewRating()], [Pl.NewRating()]];
        Assert.Contains("at least 2 teams", Assert.Throws<ArgumentException>(() => Pl.Rate([[Pl.NewRating()]])).Message);
        Assert.Contains("no players", Assert.Throws<ArgumentException>(() => Pl.Rate([[Pl.NewRating()], []])).Message);
        Assert.Contains("not both", Assert.Throws<ArgumentException>(() => Pl.Rate(teams, new RateOptions { Ranks = [1, 2], Scores = [1, 2] })).Message);
        Assert.Contains("ranks has 3", Assert.Throws<ArgumentException>(() => Pl.Rate(teams, new RateOptions { Ranks = [1, 2, 3] })).Message);
        Assert.Contains("scores[1]", Assert.Throws<ArgumentException>(() => Pl.Rate(teams, new RateOptions { Scores = [1, double.NaN] })).Message);
        Assert.Contains("weights for team 1", Assert.Throws<ArgumentException>(() => Pl.Rate(teams, new RateOptions { Weights = [[1], [1, 2]] })).Message);
        Assert.Contains("sigma", Assert.Throws<ArgumentException>(() => Pl.Rate([[new Rating(25, 0)], [Pl.NewRating()]])).Message);
        Assert.Contains("tau", Assert.Throws<ArgumentException>(() => Pl.Rate(teams, new RateOptions { Tau = -1 })).Message);
        Assert.Contains("Beta", Assert.Throws<ArgumentException>(() => new OpenSkillModel(OpenSkillModelKind.PlackettLuce, new OpenSkillOptions { Beta = 0 })).Message);
        Assert.Contains("WindowSize", Assert.Throws<ArgumentException>(() => new OpenSkillModel(OpenSkillModelKind.BradleyTerryPart, new OpenSkillOptions { WindowSize = 0 })).Message);
    }
}
