using Agora.Data;

namespace Agora.SparseLoCo.Experiments;

/// <summary>Turns --data paths (or, without any, the built-in corpus) into one token stream for a model vocabulary:
/// token shards are used as they are; text is tokenized with a byte-level BPE tokenizer trained on it to the model's
/// vocabulary size (or loaded from --tokenizer), each document preceded by &lt;|eot|&gt;.</summary>
public static class ExperimentInputs
{
    /// <summary>Text beyond this many characters is not used to train the tokenizer (it is still tokenized).</summary>
    public const int TokenizerTrainingChars = 400_000;

    public static (int[] Tokens, string Source) Load(IReadOnlyList<string> dataPaths, int vocabSize, string? tokenizerPath = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dataPaths);
        IReadOnlyList<TextDocument> documents;
        IReadOnlyList<ShardInput> shards;
        string source;
        if (dataPaths.Count == 0)
        {
            var dir = SdkDocsCorpus.LocateDocsDirectory();
            source = $"built-in corpus (.NET SDK docs in {dir})";
            documents = SdkDocsCorpus.Load(dir).ToList();
            shards = [];
        }
        else
        {
            var inputs = DataSources.Load(dataPaths);
            source = string.Join(", ", dataPaths);
            documents = inputs.Documents;
            shards = inputs.Shards;
        }

        var tokens = new List<int>();
        foreach (var shard in shards)
        {
            tokens.AddRange(shard.Tokens);
        }

        if (documents.Count > 0)
        {
            Tokenizer tokenizer;
            if (tokenizerPath is not null)
            {
                tokenizer = Tokenizer.Load(tokenizerPath);
            }
            else
            {
                progress?.Report($"Training a {vocabSize}-token BPE tokenizer on {source}");
                tokenizer = Tokenizer.Train(TrainingSample(documents), vocabSize);
            }

            if (tokenizer.VocabSize > vocabSize)
            {
                throw new ArgumentException($"The tokenizer has {tokenizer.VocabSize} tokens; the model's vocabulary is {vocabSize}.");
            }

            progress?.Report($"Tokenizing {documents.Count} documents");
            foreach (var document in documents)
            {
                tokens.Add(tokenizer.EotId);
                tokens.AddRange(tokenizer.Encode(document.Text));
            }
        }

        if (tokens.Count == 0)
        {
            throw new InvalidDataException($"The data ({source}) holds no tokens.");
        }

        return (tokens.ToArray(), source);
    }

    private static IEnumerable<string> TrainingSample(IReadOnlyList<TextDocument> documents)
    {
        var budget = TokenizerTrainingChars;
        foreach (var document in documents)
        {
            if (budget <= 0)
            {
                yield break;
            }

            var text = document.Text.Length <= budget ? document.Text : document.Text[..budget];
            budget -= text.Length;
            yield return text;
        }
    }
}
