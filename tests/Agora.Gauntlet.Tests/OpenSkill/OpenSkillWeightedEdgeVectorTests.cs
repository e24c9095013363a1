using System.Text.Json;
using Agora.Gauntlet.OpenSkill;

namespace Agora.Gauntlet.Tests.OpenSkill;

/// <summary>
/// Weighted matches that openskill.py 6.2.0's own fixtures do not reach: a team whose ω is exactly 0 (every team tied
/// and equally strong) and a team of one player with a weight. Expected numbers come from
/// tools/reference/openskill_ref.py, an independent re-derivation that first reproduces the upstream fixtures bit for bit.
/// </summary>
public sealed class OpenSkillWeightedEdgeVectorTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        using JsonDocument doc = Load();
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Weighted_edge_case_matches_openskill_6_2_0(string name)
    {
        using JsonDocument doc = Load();
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        JsonElement defaults = doc.RootElement.GetProperty("defaults");
        var options = new OpenSkillOptions
        {
            Beta = defaults.GetProperty("beta").GetDouble(),
            Kappa = defaults.GetProperty("kappa").GetDouble(),
            Tau = defaults.GetProperty("tau").GetDouble(),
        };
        var model = new OpenSkillModel(Enum.Parse<OpenSkillModelKind>(c.GetProperty("model").GetString()!), options);

        Rating[][] teams = [.. c.GetProperty("teams").EnumerateArray().Select(Players)];
        var outcome = new RateOptions
        {
            Ranks = Numbers(c, "ranks"),
            Scores = Numbers(c, "scores"),
            Weights = [.. c.GetProperty("weights").EnumerateArray().Select(t => (IReadOnlyList<double>)[.. t.EnumerateArray().Select(w => w.GetDouble())])],
        };

        Rating[][] actual = model.Rate(teams, outcome);
        Rating[][] expected = [.. c.GetProperty("expected").EnumerateArray().Select(Players)];
        Assert.Equal(expected.Length, actual.Length);
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t].Length, actual[t].Length);
            for (int p = 0; p < expected[t].Length; p++)
            {
                AssertClose(expected[t][p].Mu, actual[t][p].Mu, $"{name} team {t} player {p} mu");
                AssertClose(expected[t][p].Sigma, actual[t][p].Sigma, $"{name} team {t} player {p} sigma");
            }
        }
    }

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "OpenSkill", "Vectors", "openskill_weighted_edges.json")));

    private static Rating[] Players(JsonElement team) =>
        [.. team.EnumerateArray().Select(p => new Rating(p.GetProperty("mu").GetDouble(), p.GetProperty("sigma").GetDouble()))];

    private static double[]? Numbers(JsonElement c, string property) =>
        c.TryGetProperty(property, out JsonElement value) ? [.. value.EnumerateArray().Select(v => v.GetDouble())] : null;

    private static void AssertClose(double expected, double actual, string what)
    {
        double relative = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(relative <= Tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {relative:E2}).");
    }
}
