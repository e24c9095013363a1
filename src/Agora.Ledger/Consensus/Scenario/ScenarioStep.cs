using System.Text.Json;

namespace Agora.Ledger.Consensus;

/// <summary>One action of a Yuma scenario at a chain block.</summary>
public abstract record ScenarioStep(ulong Block)
{
    internal static ScenarioStep Parse(JsonElement e, string path, int n)
    {
        var op = ScenarioJson.String(ScenarioJson.Required(e, "op", path), $"{path}.op");
        var block = ScenarioJson.UInt64(ScenarioJson.Required(e, "block", path), $"{path}.block");
        int Uid()
        {
            var uid = ScenarioJson.Int32(ScenarioJson.Required(e, "uid", path), $"{path}.uid");
            return uid >= 0 && uid < n ? uid : throw new ScenarioFormatException($"{path}.uid: expected 0..{n - 1}, found {uid}");
        }

        SparseEntry[] Row(JsonElement element, string key)
        {
            var row = ScenarioJson.Row(element, $"{path}.{key}");
            foreach (var entry in row)
            {
                if (entry.Column >= n)
                {
                    throw new ScenarioFormatException($"{path}.{key}: uid {entry.Column} is not below params.n = {n}");
                }
            }

            return row;
        }

        return op switch
        {
            "set_weights" => new SetWeightsStep(
                block,
                Uid(),
                Row(ScenarioJson.Required(e, "weights", path), "weights"),
                ScenarioJson.TryGet(e, "stored", out var stored) ? Row(stored, "stored") : null),
            "reset_bonds" => new ResetBondsStep(block, Uid()),
            "epoch" => new EpochStep(block, ScenarioJson.TryGet(e, "expect", out var expect) ? expect.Clone() : null),
            _ => throw new ScenarioFormatException($"{path}.op: expected \"set_weights\", \"reset_bonds\" or \"epoch\", found \"{op}\""),
        };
    }
}

/// <summary>A successful set_weights by <paramref name="Uid"/>; <paramref name="Stored"/> is the file's own copy of the
/// max-upscaled row, checked against the rule when present.</summary>
public sealed record SetWeightsStep(ulong Block, int Uid, SparseEntry[] Weights, SparseEntry[]? Stored) : ScenarioStep(Block);

/// <summary>do_reset_bonds for the hotkey of <paramref name="Uid"/> (only when bonds reset is enabled).</summary>
public sealed record ResetBondsStep(ulong Block, int Uid) : ScenarioStep(Block);

/// <summary>Runs an epoch at <paramref name="Block"/>; <paramref name="Expect"/> is the file's expected output, if any.</summary>
public sealed record EpochStep(ulong Block, JsonElement? Expect) : ScenarioStep(Block);
