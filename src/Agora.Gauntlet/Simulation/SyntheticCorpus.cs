namespace Agora.Gauntlet.Simulation;

/// <summary>
/// A deterministic, learnable token stream for simulations: a sparse Markov chain in which every token has a few
/// likely successors, so a small model's loss falls quickly and measurably. Needs no files.
/// </summary>
public static class SyntheticCorpus
{
    public static int[] Generate(int vocabSize, int length, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var rng = new Agora.Model.SplitMix64(seed);
        const int successors = 4;
        var next = new int[vocabSize * successors];
        for (int i = 0; i < next.Length; i++)
        {
            next[i] = (int)(rng.NextUInt64() % (ulong)vocabSize);
        }

        var tokens = new int[length];
        int current = 0;
        for (int i = 0; i < length; i++)
        {
            tokens[i] = current;
            double u = rng.NextDouble();
            int choice = u < 0.6 ? 0 : u < 0.85 ? 1 : u < 0.95 ? 2 : 3;
            current = rng.NextDouble() < 0.02 ? (int)(rng.NextUInt64() % (ulong)vocabSize) : next[(current * successors) + choice];
        }

        return tokens;
    }
}
