using System.Text;

namespace Agora.Data;

/// <summary>
/// Learns BPE merges. Texts are UTF-8 encoded and pre-split (<see cref="PreTokenizer"/>); identical pieces are
/// counted once with their frequency. Each step merges the adjacent pair with the highest total count (pairs
/// counted at every position, overlaps included), ties broken by the lowest (left, right) ids, and updates only
/// the pieces that contain it. Training stops early when no adjacent pair is left.
/// </summary>
public static class BpeTrainer
{
    public static Tokenizer Train(IEnumerable<string> texts, int vocabSize, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (vocabSize < Tokenizer.ByteTokens + 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(vocabSize), vocabSize, $"The vocabulary needs at least {Tokenizer.ByteTokens + 1} ids (256 bytes and <|eot|>).");
        }

        var (words, freq) = CountPieces(texts);
        var lengths = words.Select(w => w.Length).ToArray();
        var pairCounts = new Dictionary<long, long>();
        var postings = new Dictionary<long, List<int>>();
        for (var w = 0; w < words.Length; w++)
        {
            for (var i = 0; i + 1 < lengths[w]; i++)
            {
                var key = Tokenizer.PairKey(words[w][i], words[w][i + 1]);
                pairCounts[key] = pairCounts.GetValueOrDefault(key) + freq[w];
                AddPosting(postings, key, w);
            }
        }

        // Max-heap on (count, then lowest pair) via negated count; stale entries are skipped when popped.
        var heap = new PriorityQueue<long, (long NegCount, long Key)>();
        foreach (var (key, count) in pairCounts)
        {
            heap.Enqueue(key, (-count, key));
        }

        var mergeTarget = vocabSize - Tokenizer.ByteTokens - 1;
        var merges = new List<(int, int)>(mergeTarget);
        var visited = new int[words.Length];
        var delta = new Dictionary<long, long>();
        while (merges.Count < mergeTarget && heap.TryDequeue(out var best, out var priority))
        {
            if (!pairCounts.TryGetValue(best, out var current) || current != -priority.NegCount)
            {
                continue;
            }

            var left = (int)(best >> 32);
            var right = (int)(uint)best;
            var merged = Tokenizer.ByteTokens + merges.Count;
            merges.Add((left, right));
            var stamp = merges.Count;
            delta.Clear();
            foreach (var w in postings[best])
            {
                if (visited[w] == stamp)
                {
                    continue;
                }

                visited[w] = stamp;
                var word = words[w];
                AddPairs(word, lengths[w], -freq[w], delta);
                lengths[w] = Tokenizer.MergeAll(word, lengths[w], left, right, merged);
                AddPairs(word, lengths[w], freq[w], delta);
                for (var i = 0; i + 1 < lengths[w]; i++)
                {
                    if (word[i] == merged || word[i + 1] == merged)
                    {
                        AddPosting(postings, Tokenizer.PairKey(word[i], word[i + 1]), w);
                    }
                }
            }

            postings.Remove(best);
            foreach (var (key, change) in delta)
            {
                if (change == 0)
                {
                    continue;
                }

                var count = pairCounts.GetValueOrDefault(key) + change;
                if (count <= 0)
                {
                    pairCounts.Remove(key);
                }
                else
                {
                    pairCounts[key] = count;
                    heap.Enqueue(key, (-count, key));
                }
            }

            if (merges.Count % 64 == 0)
            {
                progress?.Report((double)merges.Count / mergeTarget);
            }
        }

        progress?.Report(1.0);
        return new Tokenizer(merges);
    }

    private static (int[][] Words, long[] Freq) CountPieces(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(texts));
            var bytes = Encoding.UTF8.GetBytes(text);
            var i = 0;
            while (i < bytes.Length)
            {
                var len = PreTokenizer.NextPieceLength(bytes.AsSpan(i));
                if (len >= 2)
                {
                    var key = Encoding.Latin1.GetString(bytes, i, len);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }

                i += len;
            }
        }

        // Sorted so word indices, and hence every intermediate structure, do not depend on hash order.
        var keys = counts.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var words = new int[keys.Length][];
        var freq = new long[keys.Length];
        for (var w = 0; w < keys.Length; w++)
        {
            var key = keys[w];
            words[w] = new int[key.Length];
            for (var i = 0; i < key.Length; i++)
            {
                words[w][i] = key[i];
            }

            freq[w] = counts[key];
        }

        return (words, freq);
    }

    private static void AddPairs(int[] word, int length, long weight, Dictionary<long, long> delta)
    {
        for (var i = 0; i + 1 < length; i++)
        {
            var key = Tokenizer.PairKey(word[i], word[i + 1]);
            delta[key] = delta.GetValueOrDefault(key) + weight;
        }
    }

    private static void AddPosting(Dictionary<long, List<int>> postings, long key, int word)
    {
        if (!postings.TryGetValue(key, out var list))
        {
            list = [];
            postings[key] = list;
        }

        if (list.Count == 0 || list[^1] != word)
        {
            list.Add(word);
        }
    }
}
