using System.Text.Json;

namespace Agora.Node;

/// <summary>The few shapes the status files and the dashboard's JSON share: optional numbers and the loss history.</summary>
internal static class JsonWriterExtensions
{
    /// <summary>Writes the property only when there is a value (readers treat a missing property as "not yet").</summary>
    public static void WriteOptional(this Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    /// <inheritdoc cref="WriteOptional(Utf8JsonWriter, string, int?)"/>
    public static void WriteOptional(this Utf8JsonWriter w, string name, ulong? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    /// <inheritdoc cref="WriteOptional(Utf8JsonWriter, string, int?)"/>
    public static void WriteOptional(this Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    /// <summary>[{ "window": w, "loss": l }, …] in the order given.</summary>
    public static void WriteLossHistory(this Utf8JsonWriter w, string name, IReadOnlyList<(ulong Window, double Loss)> history)
    {
        w.WriteStartArray(name);
        foreach (var (window, loss) in history)
        {
            w.WriteStartObject();
            w.WriteNumber("window", window);
            w.WriteNumber("loss", loss);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
