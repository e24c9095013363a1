using System.Text;
using System.Text.Json;

namespace Agora.Data;

/// <summary>
/// Reads the inputs given with --data. A path may be a file or a folder (its files, recursively, in ordinal
/// order). Each file is detected as: an llm.c token shard (by its magic number), JSONL (extension .jsonl: one
/// JSON object per non-blank line, its string field "text" is one document), or UTF-8 text (the whole file is
/// one document). Anything else is rejected with the file named.
/// </summary>
public static class DataSources
{
    public static DataInputs Load(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("No --data paths were given.", nameof(paths));
        }

        var documents = new List<TextDocument>();
        var shards = new List<ShardInput>();
        foreach (var file in ExpandFiles(paths))
        {
            var head = new byte[4];
            int read;
            using (var stream = File.OpenRead(file))
            {
                read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }

            if (TokenShardHeader.HasMagic(head.AsSpan(0, read)))
            {
                shards.Add(new ShardInput(file, TokenShard.Read(file)));
            }
            else if (file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            {
                documents.AddRange(ReadJsonl(file));
            }
            else
            {
                documents.Add(new TextDocument(file, ReadText(file)));
            }
        }

        return new DataInputs(documents, shards);
    }

    /// <summary>The documents of a JSONL file; a malformed line fails with its line number.</summary>
    public static IEnumerable<TextDocument> ReadJsonl(string path)
    {
        var docs = new List<TextDocument>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a JSON object ({e.Message}).", e);
            }

            using (json)
            {
                if (json.RootElement.ValueKind != JsonValueKind.Object
                    || !json.RootElement.TryGetProperty("text", out var text)
                    || text.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"{path}:{lineNumber}: each JSONL line must be an object with a string field \"text\".");
                }

                docs.Add(new TextDocument($"{path}:{lineNumber}", text.GetString()!));
            }
        }

        return docs;
    }

    private static string ReadText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0))
        {
            throw new InvalidDataException(
                $"{path}: contains NUL bytes, so it is not text; --data takes UTF-8 text files, JSONL with a \"text\" field, or llm.c token shards.");
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(bytes);
    }

    private static List<string> ExpandFiles(IReadOnlyList<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var inside = Directory.GetFiles(path, "*", SearchOption.AllDirectories);
                Array.Sort(inside, StringComparer.Ordinal);
                files.AddRange(inside);
            }
            else
            {
                throw new FileNotFoundException($"--data path not found: {path}", path);
            }
        }

        return files;
    }
}
