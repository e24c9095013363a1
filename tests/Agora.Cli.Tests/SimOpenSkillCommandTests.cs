using System.Text.Json;

namespace Agora.Cli.Tests;

public sealed class SimOpenSkillCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agora-sim-openskill-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        string path = Path.Combine(_directory, $"scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Scenario = """
        {
          "model": "PlackettLuce",
          "options": { "beta": 7, "tau": 0.1 },
          "players": [ { "id": "alice" }, { "id": "bob", "mu": 30, "sigma": 5 }, { "id": "carol" } ],
          "matches": [
            { "teams": [["alice"], ["bob"], ["carol"]], "ranks": [3, 1, 2] },
            { "teams": [["alice"], ["bob"], ["carol"]], "scores": [0, 10, 5] }
          ]
        }
        """;

    [Fact]
    public void Json_output_lists_every_player_best_ordinal_first_with_consistent_numbers()
    {
        (int code, string output, string error) = SimOpenSkillCliRunner.Run("sim", "openskill", Write(Scenario), "--json");
        Assert.True(code == 0, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement[] players = [.. doc.RootElement.GetProperty("players").EnumerateArray()];
        Assert.Equal(["bob", "carol", "alice"], players.Select(p => p.GetProperty("id").GetString()));
        foreach (JsonElement p in players)
        {
            double mu = p.GetProperty("mu").GetDouble();
            double sigma = p.GetProperty("sigma").GetDouble();
            Assert.Equal(mu - (3 * sigma), p.GetProperty("ordinal").GetDouble(), 12);
            Assert.Equal(2, p.GetProperty("matches").GetInt32());
        }

        Assert.Equal("PlackettLuce", doc.RootElement.GetProperty("model").GetString());
        Assert.True(players[0].GetProperty("mu").GetDouble() > 30);
    }

    [Fact]
    public void Table_output_names_each_player()
    {
        (int code, string output, string error) = SimOpenSkillCliRunner.Run("sim", "openskill", Write(Scenario));
        Assert.True(code == 0, error);
        Assert.Contains("alice", output, StringComparison.Ordinal);
        Assert.Contains("ordinal", output, StringComparison.Ordinal);
        Assert.Contains("after 2 matches", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undeclared_player_is_rejected_with_its_location()
    {
        string bad = """{ "players": [ { "id": "a" } ], "matches": [ { "teams": [["a"], ["b"]] } ] }""";
        (int code, _, string error) = SimOpenSkillCliRunner.Run("sim", "openskill", Write(bad));
        Assert.Equal(1, code);
        Assert.Contains("$.matches[0].teams[1]", error, StringComparison.Ordinal);
        Assert.Contains("not a declared player", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        (int code, _, string error) = SimOpenSkillCliRunner.Run("sim", "openskill", Path.Combine(_directory, "nope.json"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }
}
