using Agora.Gauntlet.OpenSkill;

namespace Agora.Gauntlet.Tests.OpenSkill;

public sealed class OpenSkillScenarioTests
{
    [Fact]
    public void A_scenario_rates_matches_in_order_with_the_given_model_and_options()
    {
        var scenario = OpenSkillScenario.Parse("""
            { "model": "bradley-terry-full", "options": { "beta": 7, "tau": 0 },
              "players": [ { "id": "a" }, { "id": "b", "mu": 20, "sigma": 4 } ],
              "matches": [ { "teams": [["a"], ["b"]], "ranks": [2, 1] }, { "teams": [["b"], ["a"]] } ] }
            """);
        Assert.Equal(OpenSkillModelKind.BradleyTerryFull, scenario.Model.Kind);

        var model = new OpenSkillModel(OpenSkillModelKind.BradleyTerryFull, new OpenSkillOptions { Beta = 7, Tau = 0 });
        Rating[][] first = model.Rate([[model.NewRating()], [new Rating(20, 4)]], new RateOptions { Ranks = [2, 1] });
        Rating[][] second = model.Rate([[first[1][0]], [first[0][0]]]);

        IReadOnlyList<ScenarioStanding> standings = scenario.Run();
        Assert.Equal(second[0][0], standings.Single(s => s.Id == "b").Rating);
        Assert.Equal(second[1][0], standings.Single(s => s.Id == "a").Rating);
        Assert.True(standings[0].Rating.Ordinal() >= standings[1].Rating.Ordinal());
    }

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("{ \"players\": [], \"matches\": [] }", "$.players")]
    [InlineData("{ \"model\": \"Elo\", \"players\": [{\"id\":\"a\"}], \"matches\": [] }", "not a model")]
    [InlineData("{ \"options\": { \"beta\": -1 }, \"players\": [{\"id\":\"a\"}], \"matches\": [] }", "Beta")]
    [InlineData("{ \"options\": { \"bta\": 1 }, \"players\": [{\"id\":\"a\"}], \"matches\": [] }", "$.options.bta")]
    [InlineData("{ \"players\": [{\"id\":\"a\"},{\"id\":\"a\"}], \"matches\": [] }", "declared twice")]
    [InlineData("{ \"players\": [{\"id\":\"a\"},{\"id\":\"b\"}], \"matches\": [{\"teams\":[[\"a\"],[\"a\"]]}] }", "more than once")]
    [InlineData("{ \"players\": [{\"id\":\"a\"},{\"id\":\"b\"}], \"matches\": [{\"teams\":[[\"a\"],[\"b\"]], \"ranks\":[1]}] }", "$.matches[0].ranks")]
    [InlineData("{ \"players\": [{\"id\":\"a\"},{\"id\":\"b\"}], \"matches\": [{\"teams\":[[\"a\"],[\"b\"]], \"ranks\":[1,2], \"scores\":[1,2]}] }", "both ranks and scores")]
    [InlineData("{ \"players\": [{\"id\":\"a\"},{\"id\":\"b\"}], \"matches\": [{\"teams\":[[\"a\"],[\"b\"]], \"weights\":[[1],[1,2]]}] }", "$.matches[0].weights[1]")]
    [InlineData("{ \"players\": [{\"id\":\"a\",\"sigma\":0}], \"matches\": [] }", "sigma must be > 0")]
    [InlineData("{ not json", "not valid JSON")]
    public void Bad_scenarios_are_rejected_with_the_path_of_the_problem(string json, string expected)
    {
        FormatException e = Assert.Throws<FormatException>(() => OpenSkillScenario.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_round_trips_the_numbers()
    {
        var scenario = OpenSkillScenario.Parse("""{ "players": [ { "id": "a" }, { "id": "b" } ], "matches": [ { "teams": [["a"], ["b"]] } ] }""");
        IReadOnlyList<ScenarioStanding> standings = scenario.Run();
        using var doc = System.Text.Json.JsonDocument.Parse(ScenarioReport.ToJson(scenario, standings));
        System.Text.Json.JsonElement first = doc.RootElement.GetProperty("players")[0];
        Assert.Equal("a", first.GetProperty("id").GetString());
        Assert.Equal(standings[0].Rating.Mu, first.GetProperty("mu").GetDouble());
        Assert.Equal(standings[0].Rating.Sigma, first.GetProperty("sigma").GetDouble());
    }
}
