using System.Text.Json;

namespace Agora.Ledger.Consensus;

/// <summary>Typed, path-reporting readers over a JsonElement for the scenario parser.</summary>
internal static class ScenarioJson
{
    public static JsonElement Required(JsonElement obj, string key, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioFormatException($"{path}: expected an object, found {obj.ValueKind}");
        }

        return obj.TryGetProperty(key, out var value)
            ? value
            : throw new ScenarioFormatException($"{Join(path, key)}: missing required key");
    }

    public static bool TryGet(JsonElement obj, string key, out JsonElement value) =>
        obj.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Undefined;

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static ulong UInt64(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var v)
            ? v
            : throw new ScenarioFormatException($"{path}: expected an unsigned 64-bit integer, found {Describe(e)}");

    public static ushort UInt16(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetUInt16(out var v)
            ? v
            : throw new ScenarioFormatException($"{path}: expected an integer in 0..65535, found {Describe(e)}");

    public static short Int16(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt16(out var v)
            ? v
            : throw new ScenarioFormatException($"{path}: expected an integer in -32768..32767, found {Describe(e)}");

    public static int Int32(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v)
            ? v
            : throw new ScenarioFormatException($"{path}: expected a 32-bit integer, found {Describe(e)}");

    public static bool Bool(JsonElement e, string path) =>
        e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ScenarioFormatException($"{path}: expected true or false, found {Describe(e)}"),
        };

    public static string String(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new ScenarioFormatException($"{path}: expected a string, found {Describe(e)}");

    public static T[] Array<T>(JsonElement e, string path, Func<JsonElement, string, T> item)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new ScenarioFormatException($"{path}: expected an array, found {Describe(e)}");
        }

        var result = new T[e.GetArrayLength()];
        var k = 0;
        foreach (var element in e.EnumerateArray())
        {
            result[k] = item(element, $"{path}[{k}]");
            k++;
        }

        return result;
    }

    /// <summary>A sparse row: [[uid, u16], ...].</summary>
    public static SparseEntry[] Row(JsonElement e, string path) =>
        Array(e, path, static (pair, p) =>
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
            {
                throw new ScenarioFormatException($"{p}: expected a [uid, value] pair, found {Describe(pair)}");
            }

            return new SparseEntry(UInt16(pair[0], $"{p}[0]"), UInt16(pair[1], $"{p}[1]"));
        });

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.String => $"the string {e.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => e.ValueKind.ToString(),
    };
}
