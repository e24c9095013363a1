using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Agora.Model;

/// <summary>
/// config.json in the Hugging Face LlamaConfig layout, so a checkpoint directory loads in transformers as-is.
/// Reading requires every model field, checks its JSON type and range, and ignores unrelated keys (HF configs carry many).
/// </summary>
public static class ModelConfigJson
{
    public const string FileName = "config.json";

    /// <summary>Writes the config as indented JSON with a fixed key order.</summary>
    public static string Serialize(ModelConfig config)
    {
        config.Validate();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("architectures");
            writer.WriteStringValue("LlamaForCausalLM");
            writer.WriteEndArray();
            writer.WriteString("model_type", "llama");
            writer.WriteString("hidden_act", "silu");
            writer.WriteNumber("hidden_size", config.HiddenSize);
            writer.WriteNumber("intermediate_size", config.IntermediateSize);
            writer.WriteNumber("num_hidden_layers", config.NumHiddenLayers);
            writer.WriteNumber("num_attention_heads", config.NumAttentionHeads);
            writer.WriteNumber("num_key_value_heads", config.NumKeyValueHeads);
            writer.WriteNumber("vocab_size", config.VocabSize);
            writer.WriteNumber("max_position_embeddings", config.MaxPositionEmbeddings);
            writer.WriteNumber("rope_theta", config.RopeTheta);
            writer.WriteNumber("rms_norm_eps", config.RmsNormEps);
            writer.WriteBoolean("tie_word_embeddings", config.TieWordEmbeddings);
            writer.WriteBoolean("attention_bias", false);
            writer.WriteBoolean("mlp_bias", false);
            writer.WriteString("torch_dtype", "float32");
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Parses and validates; throws <see cref="InvalidDataException"/> naming the missing or invalid field.</summary>
    public static ModelConfig Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Invalid model config: not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("Invalid model config: the top level must be a JSON object.");
            }

            if (root.TryGetProperty("hidden_act", out var act) && !(act.ValueKind == JsonValueKind.String && act.GetString() == "silu"))
            {
                throw new InvalidDataException($"Invalid model config: hidden_act = {act.GetRawText()} is not supported; Agora's MLP is SwiGLU (\"silu\").");
            }

            int heads = Int(root, "num_attention_heads");
            var config = new ModelConfig(
                HiddenSize: Int(root, "hidden_size"),
                IntermediateSize: Int(root, "intermediate_size"),
                NumHiddenLayers: Int(root, "num_hidden_layers"),
                NumAttentionHeads: heads,
                // HF treats an absent num_key_value_heads as plain multi-head attention.
                NumKeyValueHeads: root.TryGetProperty("num_key_value_heads", out _) ? Int(root, "num_key_value_heads") : heads,
                VocabSize: Int(root, "vocab_size"),
                MaxPositionEmbeddings: Int(root, "max_position_embeddings"),
                RopeTheta: Number(root, "rope_theta"),
                RmsNormEps: Number(root, "rms_norm_eps"),
                TieWordEmbeddings: Bool(root, "tie_word_embeddings"));
            config.Validate();
            return config;
        }
    }

    public static void Write(string path, ModelConfig config) => File.WriteAllText(path, Serialize(config));

    public static ModelConfig Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model config not found: {path}.", path);
        }

        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static JsonElement Field(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            throw new InvalidDataException($"Invalid model config: missing field {name}.");
        }

        return value;
    }

    private static int Int(JsonElement root, string name)
    {
        var value = Field(root, name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int result))
        {
            throw new InvalidDataException($"Invalid model config: {name} = {value.GetRawText()} is not a 32-bit integer.");
        }

        return result;
    }

    private static double Number(JsonElement root, string name)
    {
        var value = Field(root, name);
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new InvalidDataException($"Invalid model config: {name} = {value.GetRawText()} is not a number.");
        }

        return double.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static bool Bool(JsonElement root, string name)
    {
        var value = Field(root, name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"Invalid model config: {name} = {value.GetRawText()} is not true or false."),
        };
    }
}
