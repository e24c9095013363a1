using System.Globalization;
using System.Text.Json;

namespace Agora.Cli.Commands;

/// <summary>
/// The salts of weight commits, kept on this machine so that `weights reveal` can rebuild the committed
/// preimage. One JSON file per commit in DIR/NETUID-HOTKEY-HASH.json; a revealed commit's file is deleted.
/// </summary>
public sealed class WeightCommitStore(string directory)
{
    public string Directory { get; } = directory;

    public sealed record Entry(ushort Netuid, string Hotkey, string Hash, ushort[] Uids, ushort[] Values, string SaltHex, ulong VersionKey, string Path);

    public string Save(ushort netuid, string hotkey, string hash, IReadOnlyList<ushort> uids, IReadOnlyList<ushort> values, ReadOnlySpan<byte> salt, ulong versionKey)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = System.IO.Path.Combine(Directory, FormattableString.Invariant($"{netuid}-{hotkey}-{hash}.json"));
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("netuid", netuid);
            w.WriteString("hotkey", hotkey);
            w.WriteString("hash", hash);
            w.WriteStartArray("uids");
            foreach (var u in uids)
            {
                w.WriteNumberValue(u);
            }

            w.WriteEndArray();
            w.WriteStartArray("values");
            foreach (var v in values)
            {
                w.WriteNumberValue(v);
            }

            w.WriteEndArray();
            w.WriteString("salt", Convert.ToHexStringLower(salt));
            w.WriteNumber("version_key", versionKey);
            w.WriteEndObject();
        }

        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, buffer.ToArray());
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    /// <summary>Stored commits for a hotkey on a subnet, ordered by file name (stable).</summary>
    public IReadOnlyList<Entry> Find(ushort netuid, string hotkey)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var prefix = string.Create(CultureInfo.InvariantCulture, $"{netuid}-{hotkey}-");
        return System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Where(p => System.IO.Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .ToList();
    }

    private static Entry Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var r = doc.RootElement;
            return new Entry(
                r.GetProperty("netuid").GetUInt16(), r.GetProperty("hotkey").GetString()!, r.GetProperty("hash").GetString()!,
                r.GetProperty("uids").EnumerateArray().Select(e => e.GetUInt16()).ToArray(),
                r.GetProperty("values").EnumerateArray().Select(e => e.GetUInt16()).ToArray(),
                r.GetProperty("salt").GetString()!, r.GetProperty("version_key").GetUInt64(), path);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"Stored weight commit {path} is unreadable: {e.Message}", e);
        }
    }
}
