using System.Text;

namespace Agora.Data;

/// <summary>
/// Turns text (or shards) into a tokenizer and train/validation shards in one folder:
/// tokenizer.json, train_000000.bin…, val_000000.bin…. Each text document is encoded as &lt;|eot|&gt; followed by
/// its tokens (the llm.c convention: the delimiter precedes every document). Document i goes to validation when
/// i % ValidationEvery == ValidationEvery − 1; with fewer documents than that, the last 1/ValidationEvery of each
/// document (cut at whitespace; for shards, of its tokens) is validation instead, so neither split is ever empty
/// by construction. The tokenizer is trained on the training split only.
/// </summary>
public static class DataPreparer
{
    public const string TokenizerFileName = "tokenizer.json";

    public static PrepareSummary Prepare(PrepareOptions options, IProgress<PrepareProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ValidationEvery < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationEvery, "ValidationEvery must be at least 2.");
        }

        progress?.Report(new PrepareProgress("Reading data", 0));
        string source;
        IReadOnlyList<TextDocument> documents;
        IReadOnlyList<ShardInput> shards;
        if (options.DataPaths.Count == 0)
        {
            var dir = SdkDocsCorpus.LocateDocsDirectory();
            source = $"built-in corpus (.NET SDK docs in {dir})";
            documents = SdkDocsCorpus.Load(dir).ToList();
            shards = [];
        }
        else
        {
            var inputs = DataSources.Load(options.DataPaths);
            source = string.Join(", ", options.DataPaths);
            documents = inputs.Documents;
            shards = inputs.Shards;
        }

        progress?.Report(new PrepareProgress("Reading data", 1));
        if (documents.Count == 0 && shards.Count == 0)
        {
            throw new InvalidDataException($"The data ({source}) holds no documents.");
        }

        if (shards.Count > 0 && options.TokenizerPath is null)
        {
            throw new InvalidDataException(
                "Token shards were given as --data; pass --tokenizer with the tokenizer that made them so token ids can be checked and tokenizer.json written.");
        }

        var (trainDocs, valDocs) = SplitDocuments(documents, options.ValidationEvery);
        var (trainShards, valShards) = SplitShards(shards, options.ValidationEvery);

        Tokenizer tokenizer;
        var trained = options.TokenizerPath is null;
        if (options.TokenizerPath is { } tokenizerPath)
        {
            tokenizer = Tokenizer.Load(tokenizerPath);
        }
        else
        {
            tokenizer = Tokenizer.Train(trainDocs.Select(d => d.Text), options.VocabSize, progress is null ? null : new SyncProgress(progress));
        }

        // Checked before anything is written, so a rejected input leaves no half-prepared folder behind.
        foreach (var shard in shards)
        {
            var bad = Array.FindIndex(shard.Tokens, t => (uint)t >= (uint)tokenizer.VocabSize);
            if (bad >= 0)
            {
                throw new TokenShardFormatException(
                    $"{shard.Path}: token {shard.Tokens[bad]} at position {bad} is outside the tokenizer's vocabulary of {tokenizer.VocabSize}; the shard was made with another tokenizer.");
            }
        }

        Directory.CreateDirectory(options.OutputDirectory);
        var tokenizerOut = Path.Combine(options.OutputDirectory, TokenizerFileName);
        tokenizer.Save(tokenizerOut);

        var train = Encode("train", trainDocs, trainShards, tokenizer, options, progress);
        var val = Encode("val", valDocs, valShards, tokenizer, options, progress);
        return new PrepareSummary(source, tokenizerOut, trained, tokenizer.VocabSize, train, val);
    }

    private static SplitSummary Encode(
        string name, List<TextDocument> docs, List<int[]> shards, Tokenizer tokenizer, PrepareOptions options, IProgress<PrepareProgress>? progress)
    {
        var stage = $"Tokenizing {name}";
        var tokens = new List<int>();
        long bytes = 0;
        for (var i = 0; i < docs.Count; i++)
        {
            var utf8 = Encoding.UTF8.GetBytes(docs[i].Text);
            bytes += utf8.Length;
            tokens.Add(tokenizer.EotId);
            tokenizer.EncodeInto(utf8, tokens);
            if (i % 256 == 0)
            {
                progress?.Report(new PrepareProgress(stage, (double)i / docs.Count));
            }
        }

        foreach (var shard in shards)
        {
            tokens.AddRange(shard);
        }

        progress?.Report(new PrepareProgress(stage, 1));
        var all = tokens.ToArray();
        var paths = new List<string>();
        for (var start = 0; start < all.Length || paths.Count == 0; start += options.MaxTokensPerShard)
        {
            var count = Math.Min(options.MaxTokensPerShard, all.Length - start);
            var path = Path.Combine(options.OutputDirectory, $"{name}_{paths.Count:D6}.bin");
            TokenShard.Write(path, all.AsSpan(start, count));
            paths.Add(path);
        }

        return new SplitSummary(name, docs.Count, bytes, all.Length, paths);
    }

    private static (List<TextDocument> Train, List<TextDocument> Val) SplitDocuments(IReadOnlyList<TextDocument> docs, int every)
    {
        var train = new List<TextDocument>();
        var val = new List<TextDocument>();
        if (docs.Count >= every)
        {
            for (var i = 0; i < docs.Count; i++)
            {
                (i % every == every - 1 ? val : train).Add(docs[i]);
            }

            return (train, val);
        }

        foreach (var doc in docs)
        {
            var cut = doc.Text.Length - (doc.Text.Length / every);
            while (cut < doc.Text.Length && !char.IsWhiteSpace(doc.Text[cut]))
            {
                cut++;
            }

            if (cut >= doc.Text.Length)
            {
                // No whitespace in the tail: cut inside the text, but never between the halves of a surrogate pair.
                cut = doc.Text.Length - (doc.Text.Length / every);
                if (cut > 0 && cut < doc.Text.Length && char.IsLowSurrogate(doc.Text[cut]))
                {
                    cut--;
                }
            }

            train.Add(doc with { Text = doc.Text[..cut] });
            if (cut < doc.Text.Length)
            {
                val.Add(doc with { Text = doc.Text[cut..] });
            }
        }

        return (train, val);
    }

    private static (List<int[]> Train, List<int[]> Val) SplitShards(IReadOnlyList<ShardInput> shards, int every)
    {
        var train = new List<int[]>();
        var val = new List<int[]>();
        if (shards.Count >= every)
        {
            for (var i = 0; i < shards.Count; i++)
            {
                (i % every == every - 1 ? val : train).Add(shards[i].Tokens);
            }

            return (train, val);
        }

        foreach (var shard in shards)
        {
            var cut = shard.Tokens.Length - (shard.Tokens.Length / every);
            train.Add(shard.Tokens[..cut]);
            val.Add(shard.Tokens[cut..]);
        }

        return (train, val);
    }

    /// <summary>Maps tokenizer-training progress onto the preparation stage without a synchronization context.</summary>
    private sealed class SyncProgress(IProgress<PrepareProgress> inner) : IProgress<double>
    {
        public void Report(double value) => inner.Report(new PrepareProgress("Training tokenizer", value));
    }
}
