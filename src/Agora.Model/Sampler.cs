namespace Agora.Model;

/// <summary>Picks the next token from one row of logits.</summary>
public static class Sampler
{
    /// <summary>
    /// Greedy when temperature is 0 (lowest index wins ties); otherwise keeps the top-k logits (all when k is 0; ties
    /// broken by lower index), takes softmax(logit / temperature) in double and draws one token with <paramref name="rng"/>.
    /// </summary>
    public static int Sample(ReadOnlySpan<float> logits, float temperature, int topK, SplitMix64 rng)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("No logits to sample from.", nameof(logits));
        }

        if (temperature == 0f)
        {
            return ArgMax(logits);
        }

        int k = topK == 0 ? logits.Length : Math.Min(topK, logits.Length);
        var order = new int[logits.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = logits.ToArray();
        var sorted = (int[])order.Clone();
        Array.Sort(sorted, (a, b) => keys[a] != keys[b] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
        var kept = sorted.AsSpan(0, k);
        double max = keys[kept[0]];
        var weights = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++)
        {
            weights[i] = Math.Exp((keys[kept[i]] - max) / temperature);
            sum += weights[i];
        }

        double u = rng.NextDouble() * sum;
        for (int i = 0; i < k; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return kept[i];
            }
        }

        return kept[k - 1];
    }

    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
