using System.Collections.Concurrent;
using System.Text;

namespace Agora.Data;

/// <summary>
/// Byte-level BPE. Ids 0..255 are the raw bytes; merge i (0-based) creates id 256 + i from an ordered pair of
/// existing ids; the last id, <see cref="EotId"/> = 256 + merges, is the special token &lt;|eot|&gt;, which text
/// never encodes to (documents are separated by inserting it explicitly). Encoding pre-splits bytes with
/// <see cref="PreTokenizer"/>, then in each piece repeatedly merges the adjacent pair with the lowest merge index
/// (all its occurrences, left to right) until no pair has a merge. Any byte sequence round-trips.
/// </summary>
public sealed class Tokenizer
{
    public const string EotText = "<|eot|>";
    public const int ByteTokens = 256;

    // Pieces repeat heavily in real text, so their encodings are cached; the cap keeps memory bounded on odd inputs.
    private const int CacheLimit = 1 << 18;

    private readonly (int Left, int Right)[] _merges;
    private readonly Dictionary<long, int> _rankOfPair;
    private readonly byte[][] _tokenBytes;
    private readonly ConcurrentDictionary<string, int[]> _cache;
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;

    /// <summary>Builds a tokenizer from its merge list; merge i may only use ids below 256 + i, and no pair twice.</summary>
    public Tokenizer(IReadOnlyList<(int Left, int Right)> merges)
    {
        ArgumentNullException.ThrowIfNull(merges);
        _merges = merges.ToArray();
        _cache = new ConcurrentDictionary<string, int[]>(StringComparer.Ordinal);
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        _rankOfPair = new Dictionary<long, int>(_merges.Length);
        _tokenBytes = new byte[ByteTokens + _merges.Length + 1][];
        for (var b = 0; b < ByteTokens; b++)
        {
            _tokenBytes[b] = [(byte)b];
        }

        for (var i = 0; i < _merges.Length; i++)
        {
            var (left, right) = _merges[i];
            var limit = ByteTokens + i;
            if (left < 0 || left >= limit || right < 0 || right >= limit)
            {
                throw new ArgumentException(
                    $"Merge {i} ({left}, {right}) uses an id that does not exist yet; merge {i} may only use ids 0..{limit - 1}.", nameof(merges));
            }

            if (!_rankOfPair.TryAdd(PairKey(left, right), i))
            {
                throw new ArgumentException($"Merge {i} ({left}, {right}) repeats merge {_rankOfPair[PairKey(left, right)]}.", nameof(merges));
            }

            _tokenBytes[limit] = [.. _tokenBytes[left], .. _tokenBytes[right]];
        }

        _tokenBytes[EotId] = Encoding.UTF8.GetBytes(EotText);
    }

    /// <summary>Number of ids: 256 bytes + merges + &lt;|eot|&gt;.</summary>
    public int VocabSize => ByteTokens + _merges.Length + 1;

    public int EotId => ByteTokens + _merges.Length;

    public IReadOnlyList<(int Left, int Right)> Merges => Array.AsReadOnly(_merges);

    /// <summary>Learns merges from <paramref name="texts"/> until the vocabulary has <paramref name="vocabSize"/> ids (see <see cref="BpeTrainer"/>).</summary>
    public static Tokenizer Train(IEnumerable<string> texts, int vocabSize, IProgress<double>? progress = null) =>
        BpeTrainer.Train(texts, vocabSize, progress);

    /// <summary>Loads a tokenizer saved by <see cref="Save"/>; throws <see cref="TokenizerFormatException"/> on any defect.</summary>
    public static Tokenizer Load(string path) => TokenizerJson.Load(path);

    /// <summary>Writes the versioned JSON form (see <see cref="TokenizerJson"/>).</summary>
    public void Save(string path) => TokenizerJson.Save(this, path);

    /// <summary>The bytes an id stands for (&lt;|eot|&gt; decodes to its literal text).</summary>
    public ReadOnlySpan<byte> TokenBytes(int id)
    {
        if ((uint)id >= (uint)VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id outside the vocabulary [0, {VocabSize}).");
        }

        return _tokenBytes[id];
    }

    /// <summary>Encodes the UTF-8 bytes of <paramref name="text"/>.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EncodeBytes(Encoding.UTF8.GetBytes(text));
    }

    public int[] EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        var output = new List<int>(bytes.Length / 3 + 1);
        EncodeInto(bytes, output);
        return output.ToArray();
    }

    /// <summary>Appends the encoding of <paramref name="bytes"/> to <paramref name="output"/>.</summary>
    public void EncodeInto(ReadOnlySpan<byte> bytes, List<int> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var i = 0;
        while (i < bytes.Length)
        {
            var len = PreTokenizer.NextPieceLength(bytes[i..]);
            output.AddRange(EncodePiece(bytes.Slice(i, len)));
            i += len;
        }
    }

    /// <summary>The bytes of a token sequence; throws on an id outside the vocabulary.</summary>
    public byte[] DecodeBytes(ReadOnlySpan<int> ids)
    {
        var total = 0;
        foreach (var id in ids)
        {
            total += TokenBytes(id).Length;
        }

        var bytes = new byte[total];
        var at = 0;
        foreach (var id in ids)
        {
            var piece = _tokenBytes[id];
            piece.CopyTo(bytes, at);
            at += piece.Length;
        }

        return bytes;
    }

    /// <summary>Decodes to text; byte sequences that are not valid UTF-8 become U+FFFD.</summary>
    public string Decode(ReadOnlySpan<int> ids) => Encoding.UTF8.GetString(DecodeBytes(ids));

    private int[] EncodePiece(ReadOnlySpan<byte> piece)
    {
        // Pieces are at most PreTokenizer.MaxPieceBytes long, so the Latin-1 key fits on the stack and a cache hit allocates nothing.
        Span<char> keyChars = stackalloc char[PreTokenizer.MaxPieceBytes];
        var keySpan = keyChars[..Encoding.Latin1.GetChars(piece, keyChars)];
        if (_cacheLookup.TryGetValue(keySpan, out var cached))
        {
            return cached;
        }

        var key = keySpan.ToString();

        var ids = new int[piece.Length];
        for (var i = 0; i < piece.Length; i++)
        {
            ids[i] = piece[i];
        }

        var n = ids.Length;
        while (n >= 2)
        {
            var bestRank = int.MaxValue;
            for (var i = 0; i + 1 < n; i++)
            {
                if (_rankOfPair.TryGetValue(PairKey(ids[i], ids[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                }
            }

            if (bestRank == int.MaxValue)
            {
                break;
            }

            n = MergeAll(ids, n, _merges[bestRank].Left, _merges[bestRank].Right, ByteTokens + bestRank);
        }

        var result = ids.AsSpan(0, n).ToArray();
        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }

        _cache.TryAdd(key, result);
        return result;
    }

    /// <summary>Replaces every non-overlapping (left, right), scanning left to right, with <paramref name="merged"/>; returns the new length.</summary>
    internal static int MergeAll(int[] ids, int n, int left, int right, int merged)
    {
        var write = 0;
        var read = 0;
        while (read < n)
        {
            if (read + 1 < n && ids[read] == left && ids[read + 1] == right)
            {
                ids[write++] = merged;
                read += 2;
            }
            else
            {
                ids[write++] = ids[read++];
            }
        }

        return write;
    }

    internal static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;
}
