namespace Agora.Model;

/// <summary>Autoregressive generation: re-runs the forward pass over the last max_position_embeddings tokens each step.</summary>
public static class TextGenerator
{
    /// <summary>
    /// Appends up to <paramref name="maxNewTokens"/> tokens to <paramref name="prompt"/> and returns only the new ones.
    /// Stops early after <paramref name="stopToken"/> (which is included). <paramref name="onToken"/> sees each token as it comes.
    /// </summary>
    public static IReadOnlyList<int> Generate(LlamaModel model, IReadOnlyList<int> prompt, int maxNewTokens, SamplingOptions options, int? stopToken = null, Action<int>? onToken = null)
    {
        var config = model.Config;
        options.Validate(config.VocabSize);
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt needs at least one token.", nameof(prompt));
        }

        if (maxNewTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "The number of new tokens must be ≥ 0.");
        }

        var context = new List<int>(prompt);
        var generated = new List<int>(maxNewTokens);
        var rng = new SplitMix64(options.Seed);
        int window = config.MaxPositionEmbeddings;
        model.EnsureCapacity(1, Math.Min(window, prompt.Count + maxNewTokens));
        for (int i = 0; i < maxNewTokens; i++)
        {
            int start = Math.Max(0, context.Count - window);
            var input = context.GetRange(start, context.Count - start).ToArray();
            model.Forward(input, 1, input.Length);
            var last = model.Logits.Slice((input.Length - 1) * config.VocabSize, config.VocabSize);
            int token = Sampler.Sample(last, options.Temperature, options.TopK, rng);
            context.Add(token);
            generated.Add(token);
            onToken?.Invoke(token);
            if (token == stopToken)
            {
                break;
            }
        }

        return generated;
    }
}
