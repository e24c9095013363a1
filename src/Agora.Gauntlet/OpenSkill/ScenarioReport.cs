using System.Text;
using System.Text.Json;

namespace Agora.Gauntlet.OpenSkill;

/// <summary>Writes scenario standings as machine-readable JSON.</summary>
public static class ScenarioReport
{
    public static string ToJson(OpenSkillScenario scenario, IReadOnlyList<ScenarioStanding> standings)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(standings);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", scenario.Model.Kind.ToString());
            writer.WriteNumber("matches", scenario.Matches.Count);
            writer.WriteStartArray("players");
            foreach (ScenarioStanding s in standings)
            {
                writer.WriteStartObject();
                writer.WriteString("id", s.Id);
                writer.WriteNumber("mu", s.Rating.Mu);
                writer.WriteNumber("sigma", s.Rating.Sigma);
                writer.WriteNumber("ordinal", s.Rating.Ordinal());
                writer.WriteNumber("matches", s.Matches);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
