using System.Globalization;
using System.Text.Json;

namespace Agora.Gauntlet.OpenSkill;

/// <summary>One match of a scenario: teams of player ids and an optional outcome (see FORMAT.md).</summary>
public sealed record ScenarioMatch(IReadOnlyList<IReadOnlyList<string>> Teams, RateOptions Outcome);

/// <summary>A player's starting rating in a scenario.</summary>
public sealed record ScenarioPlayer(string Id, Rating Initial);

/// <summary>A player's rating after a scenario, with how many matches they played.</summary>
public sealed record ScenarioStanding(string Id, Rating Rating, int Matches);

/// <summary>
/// A sequence of matches rated with one model, read from the JSON format documented in FORMAT.md.
/// Parsing checks everything up front, so a bad file is rejected before any rating changes.
/// </summary>
public sealed class OpenSkillScenario
{
    private OpenSkillScenario(OpenSkillModel model, IReadOnlyList<ScenarioPlayer> players, IReadOnlyList<ScenarioMatch> matches)
    {
        Model = model;
        Players = players;
        Matches = matches;
    }

    public OpenSkillModel Model { get; }
    public IReadOnlyList<ScenarioPlayer> Players { get; }
    public IReadOnlyList<ScenarioMatch> Matches { get; }

    /// <summary>Parses a scenario; throws <see cref="FormatException"/> with the JSON path of the first problem.</summary>
    public static OpenSkillScenario Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The scenario is not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The scenario must be a JSON object with \"model\", \"players\" and \"matches\".");
            }

            RejectUnknown(root, "$", "model", "options", "players", "matches");
            OpenSkillModelKind kind = ParseKind(root);
            OpenSkillOptions options = ParseOptions(root);
            OpenSkillModel model;
            try
            {
                model = new OpenSkillModel(kind, options);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"$.options: {e.Message}", e);
            }

            List<ScenarioPlayer> players = ParsePlayers(root, options);
            var known = new HashSet<string>(players.Select(p => p.Id), StringComparer.Ordinal);
            List<ScenarioMatch> matches = ParseMatches(root, known);
            return new OpenSkillScenario(model, players, matches);
        }
    }

    /// <summary>Rates every match in order; returns standings sorted by ordinal (best first), ties by id.</summary>
    public IReadOnlyList<ScenarioStanding> Run()
    {
        var ratings = new Dictionary<string, Rating>(StringComparer.Ordinal);
        var played = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (ScenarioPlayer player in Players)
        {
            ratings[player.Id] = player.Initial;
            played[player.Id] = 0;
        }

        for (int m = 0; m < Matches.Count; m++)
        {
            ScenarioMatch match = Matches[m];
            Rating[][] teams = [.. match.Teams.Select(team => team.Select(id => ratings[id]).ToArray())];
            Rating[][] updated;
            try
            {
                updated = Model.Rate(teams, match.Outcome);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"$.matches[{m}]: {e.Message}", e);
            }

            for (int t = 0; t < teams.Length; t++)
            {
                for (int p = 0; p < teams[t].Length; p++)
                {
                    string id = match.Teams[t][p];
                    ratings[id] = updated[t][p];
                    played[id]++;
                }
            }
        }

        return [.. Players
            .Select(p => new ScenarioStanding(p.Id, ratings[p.Id], played[p.Id]))
            .OrderByDescending(s => s.Rating.Ordinal())
            .ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    private static OpenSkillModelKind ParseKind(JsonElement root)
    {
        if (!root.TryGetProperty("model", out JsonElement model))
        {
            return OpenSkillModelKind.PlackettLuce;
        }

        if (model.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("$.model must be a string such as \"PlackettLuce\".");
        }

        string name = model.GetString()!.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        foreach (OpenSkillModelKind kind in Enum.GetValues<OpenSkillModelKind>())
        {
            if (string.Equals(kind.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        throw new FormatException(
            $"$.model \"{model.GetString()}\" is not a model; use one of {string.Join(", ", Enum.GetNames<OpenSkillModelKind>())}.");
    }

    private static OpenSkillOptions ParseOptions(JsonElement root)
    {
        var options = new OpenSkillOptions();
        if (!root.TryGetProperty("options", out JsonElement o))
        {
            return options;
        }

        if (o.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("$.options must be an object.");
        }

        RejectUnknown(o, "$.options", "mu", "sigma", "beta", "kappa", "tau", "limitSigma", "balance", "margin", "epsilon", "windowSize");
        return options with
        {
            Mu = OptionalNumber(o, "mu", "$.options") ?? options.Mu,
            Sigma = OptionalNumber(o, "sigma", "$.options") ?? options.Sigma,
            Beta = OptionalNumber(o, "beta", "$.options") ?? options.Beta,
            Kappa = OptionalNumber(o, "kappa", "$.options") ?? options.Kappa,
            Tau = OptionalNumber(o, "tau", "$.options") ?? options.Tau,
            LimitSigma = OptionalBool(o, "limitSigma", "$.options") ?? options.LimitSigma,
            Balance = OptionalBool(o, "balance", "$.options") ?? options.Balance,
            Margin = OptionalNumber(o, "margin", "$.options") ?? options.Margin,
            Epsilon = OptionalNumber(o, "epsilon", "$.options") ?? options.Epsilon,
            WindowSize = OptionalInt(o, "windowSize", "$.options") ?? options.WindowSize,
        };
    }

    private static List<ScenarioPlayer> ParsePlayers(JsonElement root, OpenSkillOptions options)
    {
        if (!root.TryGetProperty("players", out JsonElement list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new FormatException("$.players must be a non-empty array of {\"id\": ..., \"mu\"?: ..., \"sigma\"?: ...}.");
        }

        var players = new List<ScenarioPlayer>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (JsonElement p in list.EnumerateArray())
        {
            string path = $"$.players[{i}]";
            if (p.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{path} must be an object with an \"id\".");
            }

            RejectUnknown(p, path, "id", "mu", "sigma");
            if (!p.TryGetProperty("id", out JsonElement idElement) || idElement.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(idElement.GetString()))
            {
                throw new FormatException($"{path}.id must be a non-empty string.");
            }

            string id = idElement.GetString()!;
            if (!ids.Add(id))
            {
                throw new FormatException($"{path}.id \"{id}\" is declared twice.");
            }

            double mu = OptionalNumber(p, "mu", path) ?? options.Mu;
            double sigma = OptionalNumber(p, "sigma", path) ?? options.Sigma;
            if (sigma <= 0)
            {
                throw new FormatException($"{path}.sigma must be > 0, got {sigma.ToString(CultureInfo.InvariantCulture)}.");
            }

            players.Add(new ScenarioPlayer(id, new Rating(mu, sigma)));
            i++;
        }

        return players;
    }

    private static List<ScenarioMatch> ParseMatches(JsonElement root, HashSet<string> known)
    {
        if (!root.TryGetProperty("matches", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("$.matches must be an array of matches.");
        }

        var matches = new List<ScenarioMatch>();
        int m = 0;
        foreach (JsonElement match in list.EnumerateArray())
        {
            string path = $"$.matches[{m}]";
            if (match.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{path} must be an object with \"teams\".");
            }

            RejectUnknown(match, path, "teams", "ranks", "scores", "weights", "tau", "limitSigma");
            if (!match.TryGetProperty("teams", out JsonElement teamsElement) || teamsElement.ValueKind != JsonValueKind.Array
                || teamsElement.GetArrayLength() < 2)
            {
                throw new FormatException($"{path}.teams must be an array of at least 2 teams (arrays of player ids).");
            }

            var teams = new List<IReadOnlyList<string>>();
            var inMatch = new HashSet<string>(StringComparer.Ordinal);
            int t = 0;
            foreach (JsonElement team in teamsElement.EnumerateArray())
            {
                if (team.ValueKind != JsonValueKind.Array || team.GetArrayLength() == 0)
                {
                    throw new FormatException($"{path}.teams[{t}] must be a non-empty array of player ids.");
                }

                var ids = new List<string>();
                foreach (JsonElement id in team.EnumerateArray())
                {
                    string? name = id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                    if (name is null || !known.Contains(name))
                    {
                        throw new FormatException($"{path}.teams[{t}] names {id.GetRawText()}, which is not a declared player.");
                    }

                    if (!inMatch.Add(name))
                    {
                        throw new FormatException($"{path}: player \"{name}\" appears more than once in the match.");
                    }

                    ids.Add(name);
                }

                teams.Add(ids);
                t++;
            }

            var outcome = new RateOptions
            {
                Ranks = OptionalNumbers(match, "ranks", path),
                Scores = OptionalNumbers(match, "scores", path),
                Weights = OptionalWeights(match, path),
                Tau = OptionalNumber(match, "tau", path),
                LimitSigma = OptionalBool(match, "limitSigma", path),
            };
            if (outcome.Ranks is not null && outcome.Scores is not null)
            {
                throw new FormatException($"{path} gives both ranks and scores; give one.");
            }

            CheckLength(outcome.Ranks?.Count, teams.Count, $"{path}.ranks");
            CheckLength(outcome.Scores?.Count, teams.Count, $"{path}.scores");
            CheckLength(outcome.Weights?.Count, teams.Count, $"{path}.weights");
            for (int w = 0; w < (outcome.Weights?.Count ?? 0); w++)
            {
                CheckLength(outcome.Weights![w].Count, teams[w].Count, $"{path}.weights[{w}]");
            }

            matches.Add(new ScenarioMatch(teams, outcome));
            m++;
        }

        return matches;
    }

    private static void CheckLength(int? actual, int expected, string path)
    {
        if (actual is not null && actual != expected)
        {
            throw new FormatException($"{path} has {actual} entries but must have {expected}.");
        }
    }

    private static void RejectUnknown(JsonElement element, string path, params string[] allowed)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new FormatException($"{path}.{property.Name} is not a known field; allowed: {string.Join(", ", allowed)}.");
            }
        }
    }

    private static double? OptionalNumber(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            throw new FormatException($"{path}.{name} must be a finite number.");
        }

        return number;
    }

    private static int? OptionalInt(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
        {
            throw new FormatException($"{path}.{name} must be an integer.");
        }

        return number;
    }

    private static bool? OptionalBool(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FormatException($"{path}.{name} must be true or false."),
        };
    }

    private static double[]? OptionalNumbers(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return NumbersFrom(value, $"{path}.{name}");
    }

    private static double[][]? OptionalWeights(JsonElement element, string path)
    {
        if (!element.TryGetProperty("weights", out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}.weights must be an array (one array of numbers per team).");
        }

        var weights = new double[value.GetArrayLength()][];
        int t = 0;
        foreach (JsonElement team in value.EnumerateArray())
        {
            weights[t] = NumbersFrom(team, $"{path}.weights[{t}]");
            t++;
        }

        return weights;
    }

    private static double[] NumbersFrom(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path} must be an array of numbers.");
        }

        var numbers = new double[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                throw new FormatException($"{path}[{i}] must be a finite number.");
            }

            i++;
        }

        return numbers;
    }
}
