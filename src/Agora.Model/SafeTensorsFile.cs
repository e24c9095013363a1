using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Agora.Model;

/// <summary>
/// Reads and writes the safetensors format (github.com/huggingface/safetensors): an 8-byte little-endian header length
/// N, N bytes of UTF-8 JSON mapping each tensor name to {dtype, shape, data_offsets} (plus an optional string map
/// "__metadata__"), then the raw little-endian data. Agora writes only F32, with the header keys sorted (ordinal), the
/// data in the same order, and the header padded with spaces to a multiple of 8 bytes. Reading accepts only F32 and
/// rejects anything malformed with an <see cref="InvalidDataException"/> that names the file and the problem.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>Headers above this are refused before anything is allocated (the reference implementation uses 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            var t = ordered[i];
            if (t.Name.Length == 0 || t.Name == MetadataKey || (i > 0 && ordered[i - 1].Name == t.Name))
            {
                throw new ArgumentException($"Invalid or duplicate tensor name '{t.Name}'.", nameof(tensors));
            }

            long count = t.Shape.Aggregate(1L, (a, b) => b >= 0 ? a * b : throw new ArgumentException($"Tensor '{t.Name}' has a negative dimension.", nameof(tensors)));
            if (count != t.Data.Length)
            {
                throw new ArgumentException($"Tensor '{t.Name}' has shape {t.ShapeText} ({count} elements) but {t.Data.Length} values.", nameof(tensors));
            }
        }

        byte[] header = BuildHeader(ordered, metadata);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var t in ordered)
            {
                WriteFloats(stream, t.Data);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads every tensor (in header-key order) and the metadata.</summary>
    public static (IReadOnlyList<SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"safetensors file not found: {path}.", path);
        }

        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses a whole safetensors file held in memory.</summary>
    public static (IReadOnlyList<SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
        {
            throw new InvalidDataException($"truncated: {file.Length} bytes, too short for the 8-byte header length.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength < 2 || headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"bad header length {headerLength} (must be 2 to {MaxHeaderBytes} bytes).");
        }

        if (headerLength > (ulong)(file.Length - 8))
        {
            throw new InvalidDataException($"truncated: header length {headerLength} runs past the end of the {file.Length}-byte file.");
        }

        var headerBytes = file.Slice(8, (int)headerLength);
        var data = file[(8 + (int)headerLength)..];
        var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        ParseHeader(headerBytes, data.Length, entries, metadata);

        // The format requires the data offsets to tile the data region exactly: no gaps, no overlaps, no trailing bytes.
        long expected = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin != expected)
            {
                throw new InvalidDataException($"tensor '{e.Name}' data_offsets begin at {e.Begin}, expected {expected} (gap or overlap in the data region).");
            }

            expected = e.End;
        }

        if (expected != data.Length)
        {
            throw new InvalidDataException($"the tensors cover {expected} data bytes but the file holds {data.Length} (truncated or trailing bytes).");
        }

        var tensors = new List<SafeTensor>(entries.Count);
        foreach (var e in entries)
        {
            var values = new float[(e.End - e.Begin) / 4];
            var source = data.Slice((int)e.Begin, (int)(e.End - e.Begin));
            source.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                var raw = MemoryMarshal.Cast<float, int>(values.AsSpan());
                BinaryPrimitives.ReverseEndianness(raw, raw);
            }

            tensors.Add(new SafeTensor(e.Name, e.Shape, values));
        }

        return (tensors, metadata);
    }

    private static void ParseHeader(ReadOnlySpan<byte> headerBytes, int dataLength, List<(string, int[], long, long)> entries, SortedDictionary<string, string> metadata)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the header is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("the header must be a JSON object.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new InvalidDataException($"the header names '{property.Name}' twice.");
                }

                if (property.Name == MetadataKey)
                {
                    ParseMetadata(property.Value, metadata);
                    continue;
                }

                entries.Add(ParseEntry(property.Name, property.Value, dataLength));
            }
        }
    }

    private static void ParseMetadata(JsonElement value, SortedDictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("__metadata__ must be an object of strings.");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"__metadata__ value '{item.Name}' is not a string.");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new InvalidDataException($"__metadata__ names '{item.Name}' twice.");
            }
        }
    }

    private static (string, int[], long, long) ParseEntry(string name, JsonElement value, int dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"tensor '{name}': the entry must be an object.");
        }

        string? dtype = null;
        int[]? shape = null;
        long[]? offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when field.Value.ValueKind == JsonValueKind.String:
                    dtype = field.Value.GetString();
                    break;
                case "shape" when field.Value.ValueKind == JsonValueKind.Array:
                    shape = field.Value.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out int x) && x >= 0
                        ? x
                        : throw new InvalidDataException($"tensor '{name}': shape entry {d.GetRawText()} is not a non-negative 32-bit integer.")).ToArray();
                    break;
                case "data_offsets" when field.Value.ValueKind == JsonValueKind.Array:
                    offsets = field.Value.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long x) && x >= 0
                        ? x
                        : throw new InvalidDataException($"tensor '{name}': data_offsets entry {d.GetRawText()} is not a non-negative integer.")).ToArray();
                    break;
                default:
                    throw new InvalidDataException($"tensor '{name}': unexpected or ill-typed field '{field.Name}'.");
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw new InvalidDataException($"tensor '{name}': needs dtype, shape and data_offsets.");
        }

        if (dtype != "F32")
        {
            throw new InvalidDataException($"tensor '{name}' has dtype {dtype}; only F32 is supported.");
        }

        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw new InvalidDataException($"tensor '{name}': data_offsets [{string.Join(", ", offsets)}] are not a [begin, end] pair.");
        }

        if (offsets[1] > dataLength)
        {
            throw new InvalidDataException($"tensor '{name}': data_offsets [{offsets[0]}, {offsets[1]}] run past the end of the {dataLength}-byte data region (truncated file?).");
        }

        long count = 1;
        foreach (int d in shape)
        {
            count = checked(count * d);
        }

        if (offsets[1] - offsets[0] != count * 4)
        {
            throw new InvalidDataException($"tensor '{name}': shape [{string.Join(", ", shape)}] needs {count * 4} bytes but data_offsets span {offsets[1] - offsets[0]}.");
        }

        return (name, shape, offsets[0], offsets[1]);
    }

    private static byte[] BuildHeader(List<SafeTensor> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (var t in ordered)
            {
                writer.WriteStartObject(t.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int d in t.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += 4L * t.Data.Length;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        int length = (int)stream.Length;
        int padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        stream.ToArray().CopyTo(header, 0);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    private static void WriteFloats(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        var bytes = new byte[4];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            stream.Write(bytes);
        }
    }

    /// <summary>The UTF-8 text of a header, for golden tests and diagnostics.</summary>
    public static string ReadHeaderText(ReadOnlySpan<byte> file)
    {
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        return Encoding.UTF8.GetString(file.Slice(8, (int)n));
    }
}
