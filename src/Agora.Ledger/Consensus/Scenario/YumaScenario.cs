using System.Text.Json;

namespace Agora.Ledger.Consensus;

/// <summary>A "yuma-scenario/1" file (README §3 of the Yuma vectors): one subnet's fixed hyperparameters, its
/// initial state, and an ordered list of set_weights / reset_bonds / epoch steps.</summary>
public sealed class YumaScenario
{
    public const string Format = "yuma-scenario/1";

    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int N { get; init; }
    public required ushort Tempo { get; init; }
    public required ulong ActivityCutoff { get; init; }
    public required ushort Kappa { get; init; }
    public required ushort BondsPenalty { get; init; }
    public required ulong BondsMovingAverage { get; init; }
    public required bool Yuma3 { get; init; }
    public required bool LiquidAlpha { get; init; }
    public required ushort AlphaLow { get; init; }
    public required ushort AlphaHigh { get; init; }
    public required short AlphaSigmoidSteepness { get; init; }
    public required ushort MaxAllowedValidators { get; init; }
    public required ulong RaoEmission { get; init; }
    public required bool BondsResetEnabled { get; init; }
    public required ulong[] Stake { get; init; }
    public required ulong[] BlockAtRegistration { get; init; }
    public required ulong[] LastUpdate { get; init; }
    public required bool[] ValidatorPermit { get; init; }
    public required SparseEntry[][] Weights { get; init; }
    public required SparseEntry[][] Bonds { get; init; }
    public required IReadOnlyList<ScenarioStep> Steps { get; init; }

    /// <summary>Parses and checks a scenario; throws <see cref="ScenarioFormatException"/> naming the bad key.</summary>
    public static YumaScenario Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ScenarioFormatException($"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    public static YumaScenario Parse(JsonElement root)
    {
        var format = ScenarioJson.String(ScenarioJson.Required(root, "format", ""), "format");
        if (format != Format)
        {
            throw new ScenarioFormatException($"format: expected \"{Format}\", found \"{format}\"");
        }

        var p = ScenarioJson.Required(root, "params", "");
        JsonElement Param(string key) => ScenarioJson.Required(p, key, "params");
        string ParamPath(string key) => $"params.{key}";

        var n = ScenarioJson.Int32(Param("n"), ParamPath("n"));
        if (n < 0 || n > EpochInput.MaxUids)
        {
            throw new ScenarioFormatException($"params.n: expected 0..{EpochInput.MaxUids}, found {n}");
        }

        RequireUnsupportedAbsent(p);

        var initial = ScenarioJson.Required(root, "initial", "");
        T[] Initial<T>(string key, Func<JsonElement, string, T> item)
        {
            var values = ScenarioJson.Array(ScenarioJson.Required(initial, key, "initial"), $"initial.{key}", item);
            return values.Length == n
                ? values
                : throw new ScenarioFormatException($"initial.{key}: expected {n} entries (params.n), found {values.Length}");
        }

        var stepsElement = ScenarioJson.Required(root, "steps", "");
        var steps = ScenarioJson.Array(stepsElement, "steps", (e, path) => ScenarioStep.Parse(e, path, n));
        for (var k = 1; k < steps.Length; k++)
        {
            if (steps[k].Block < steps[k - 1].Block)
            {
                throw new ScenarioFormatException($"steps[{k}].block: blocks must not decrease ({steps[k].Block} after {steps[k - 1].Block})");
            }
        }

        return new YumaScenario
        {
            Id = ScenarioJson.TryGet(root, "id", out var id) ? ScenarioJson.String(id, "id") : "",
            Name = ScenarioJson.TryGet(root, "name", out var name) ? ScenarioJson.String(name, "name") : "",
            N = n,
            Tempo = ScenarioJson.UInt16(Param("tempo"), ParamPath("tempo")),
            ActivityCutoff = ScenarioJson.UInt64(Param("activity_cutoff"), ParamPath("activity_cutoff")),
            Kappa = ScenarioJson.UInt16(Param("kappa"), ParamPath("kappa")),
            BondsPenalty = ScenarioJson.UInt16(Param("bonds_penalty"), ParamPath("bonds_penalty")),
            BondsMovingAverage = ScenarioJson.UInt64(Param("bonds_moving_average"), ParamPath("bonds_moving_average")),
            Yuma3 = ScenarioJson.Bool(Param("yuma3"), ParamPath("yuma3")),
            LiquidAlpha = ScenarioJson.Bool(Param("liquid_alpha"), ParamPath("liquid_alpha")),
            AlphaLow = ScenarioJson.UInt16(Param("alpha_low"), ParamPath("alpha_low")),
            AlphaHigh = ScenarioJson.UInt16(Param("alpha_high"), ParamPath("alpha_high")),
            AlphaSigmoidSteepness = ScenarioJson.Int16(Param("alpha_sigmoid_steepness"), ParamPath("alpha_sigmoid_steepness")),
            MaxAllowedValidators = ScenarioJson.UInt16(Param("max_allowed_validators"), ParamPath("max_allowed_validators")),
            RaoEmission = ScenarioJson.UInt64(Param("rao_emission"), ParamPath("rao_emission")),
            BondsResetEnabled = ScenarioJson.TryGet(p, "bonds_reset_enabled", out var reset) && ScenarioJson.Bool(reset, ParamPath("bonds_reset_enabled")),
            Stake = Initial("stake", ScenarioJson.UInt64),
            BlockAtRegistration = Initial("block_at_registration", ScenarioJson.UInt64),
            LastUpdate = Initial("last_update", ScenarioJson.UInt64),
            ValidatorPermit = Initial("validator_permit", ScenarioJson.Bool),
            Weights = Initial("weights", ScenarioJson.Row),
            Bonds = Initial("bonds", ScenarioJson.Row),
            Steps = steps,
        };
    }

    /// <summary>Features the scenario format can name but this replayer (like the vectors) does not model: they must
    /// be absent or hold their neutral value, so a file that needs them fails loudly instead of replaying wrongly.</summary>
    private static void RequireUnsupportedAbsent(JsonElement p)
    {
        void Zero(string key)
        {
            if (ScenarioJson.TryGet(p, key, out var v) && ScenarioJson.UInt64(v, $"params.{key}") != 0)
            {
                throw new ScenarioFormatException($"params.{key}: only 0 is supported, found {v.GetRawText()}");
            }
        }

        Zero("last_mechanism_step_block");
        Zero("stake_threshold");
        Zero("tao_weight");
        if (ScenarioJson.TryGet(p, "owner_uid", out var owner) && owner.ValueKind != JsonValueKind.Null)
        {
            throw new ScenarioFormatException($"params.owner_uid: only null is supported, found {ScenarioJson.Describe(owner)}");
        }

        if (ScenarioJson.TryGet(p, "commit_reveal_enabled", out var cr) && ScenarioJson.Bool(cr, "params.commit_reveal_enabled"))
        {
            throw new ScenarioFormatException("params.commit_reveal_enabled: only false is supported");
        }

        if (ScenarioJson.TryGet(p, "mechanism_count", out var mc) && ScenarioJson.Int32(mc, "params.mechanism_count") != 1)
        {
            throw new ScenarioFormatException($"params.mechanism_count: only 1 is supported, found {mc.GetRawText()}");
        }

        if (ScenarioJson.TryGet(p, "epoch_path", out var path) && ScenarioJson.String(path, "params.epoch_path") != "sparse")
        {
            throw new ScenarioFormatException($"params.epoch_path: only \"sparse\" is supported, found {path.GetRawText()}");
        }
    }
}
