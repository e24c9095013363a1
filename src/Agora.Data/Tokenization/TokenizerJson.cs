using System.Text.Encodings.Web;
using System.Text.Json;

namespace Agora.Data;

/// <summary>
/// The tokenizer file, version 1:
/// <code>
/// { "format": "agora-byte-bpe", "version": 1, "pre_tokenizer": "agora-split-v1", "vocab_size": N,
///   "special_tokens": { "&lt;|eot|&gt;": N - 1 }, "merges": [[left, right], ...] }
/// </code>
/// Merge i creates id 256 + i; N = 256 + merges + 1. Loading checks every field and names the first defect.
/// </summary>
public static class TokenizerJson
{
    public const string Format = "agora-byte-bpe";
    public const int Version = 1;

    public static void Save(Tokenizer tokenizer, string path)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temp = path + ".tmp";
        File.WriteAllBytes(temp, ToJson(tokenizer));
        File.Move(temp, path, overwrite: true);
    }

    public static byte[] ToJson(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps "<|eot|>" readable; the file is never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteString("pre_tokenizer", PreTokenizer.Name);
            json.WriteNumber("vocab_size", tokenizer.VocabSize);
            json.WriteStartObject("special_tokens");
            json.WriteNumber(Tokenizer.EotText, tokenizer.EotId);
            json.WriteEndObject();
            json.WriteStartArray("merges");
            foreach (var (left, right) in tokenizer.Merges)
            {
                json.WriteStartArray();
                json.WriteNumberValue(left);
                json.WriteNumberValue(right);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static Tokenizer Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Tokenizer file not found: {path} (create one with `agora data tokenizer train`).", path);
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    public static Tokenizer Parse(ReadOnlySpan<byte> utf8Json, string source = "tokenizer")
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException($"{source}: not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail(source, "the top level must be a JSON object");
            }

            var format = RequireString(root, "format", source);
            if (format != Format)
            {
                throw Fail(source, $"format is \"{format}\", expected \"{Format}\"");
            }

            var version = RequireInt(root, "version", source);
            if (version != Version)
            {
                throw Fail(source, $"unsupported version {version}; this build reads version {Version}");
            }

            var preTokenizer = RequireString(root, "pre_tokenizer", source);
            if (preTokenizer != PreTokenizer.Name)
            {
                throw Fail(source, $"unknown pre_tokenizer \"{preTokenizer}\"; this build knows \"{PreTokenizer.Name}\"");
            }

            if (!root.TryGetProperty("merges", out var mergesElement) || mergesElement.ValueKind != JsonValueKind.Array)
            {
                throw Fail(source, "missing \"merges\" array");
            }

            var merges = new List<(int, int)>(mergesElement.GetArrayLength());
            var seen = new HashSet<long>();
            foreach (var pair in mergesElement.EnumerateArray())
            {
                var i = merges.Count;
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                    || !TryInt(pair[0], out var left) || !TryInt(pair[1], out var right))
                {
                    throw Fail(source, $"merge {i} must be an array of two integer ids");
                }

                var limit = Tokenizer.ByteTokens + i;
                if (left < 0 || left >= limit || right < 0 || right >= limit)
                {
                    throw Fail(source, $"merge {i} [{left}, {right}] uses an id outside 0..{limit - 1} (ids must exist before they are merged)");
                }

                if (!seen.Add(Tokenizer.PairKey(left, right)))
                {
                    throw Fail(source, $"merge {i} [{left}, {right}] appears twice");
                }

                merges.Add((left, right));
            }

            var expectedVocab = Tokenizer.ByteTokens + merges.Count + 1;
            var vocab = RequireInt(root, "vocab_size", source);
            if (vocab != expectedVocab)
            {
                throw Fail(source, $"vocab_size is {vocab} but 256 bytes + {merges.Count} merges + <|eot|> make {expectedVocab}");
            }

            if (!root.TryGetProperty("special_tokens", out var specials) || specials.ValueKind != JsonValueKind.Object)
            {
                throw Fail(source, "missing \"special_tokens\" object");
            }

            var names = specials.EnumerateObject().Select(p => p.Name).ToArray();
            if (names.Length != 1 || names[0] != Tokenizer.EotText)
            {
                throw Fail(source, $"special_tokens must hold exactly \"{Tokenizer.EotText}\"; found [{string.Join(", ", names)}]");
            }

            if (!TryInt(specials.GetProperty(Tokenizer.EotText), out var eot) || eot != expectedVocab - 1)
            {
                throw Fail(source, $"{Tokenizer.EotText} must have id {expectedVocab - 1} (the last id)");
            }

            return new Tokenizer(merges);
        }
    }

    private static string RequireString(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw Fail(source, $"missing string field \"{name}\"");
        }

        return value.GetString()!;
    }

    private static int RequireInt(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var value) || !TryInt(value, out var number))
        {
            throw Fail(source, $"missing integer field \"{name}\"");
        }

        return number;
    }

    private static bool TryInt(JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    private static TokenizerFormatException Fail(string source, string problem) =>
        new($"{source}: {problem}.");
}
