namespace Agora.Tensors;

/// <summary>Argument checks shared by every kernel, so a bad call fails before any buffer is touched.</summary>
internal static class Check
{
    public static void NonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0, got {value}.");
        }
    }

    public static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0, got {value}.");
        }
    }

    public static void Threads(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"threads must be >= 1, got {threads}.");
        }
    }

    /// <summary>Throws when a span holds fewer than <paramref name="required"/> elements (computed in long to survive overflow).</summary>
    public static void Length(int actual, long required, string name, string shape)
    {
        if (required > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} {shape} needs {required} elements, more than a span can hold.");
        }

        if (actual < required)
        {
            throw new ArgumentException($"{name} is too short: shape {shape} needs {required} elements, got {actual}.", name);
        }
    }

    public static void Finite(float value, string name)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite, got {value}.");
        }
    }

    public static void Heads(int hq, int hkv)
    {
        Positive(hq, nameof(hq));
        Positive(hkv, nameof(hkv));
        if (hq % hkv != 0)
        {
            throw new ArgumentException($"hq ({hq}) must be a multiple of hkv ({hkv}) for grouped-query attention.", nameof(hkv));
        }
    }

    public static void EvenHeadDim(int d)
    {
        Positive(d, nameof(d));
        if (d % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, $"RoPE rotates pairs (i, i + d/2), so the head dimension d must be even, got {d}.");
        }
    }

    public static void Tokens(ReadOnlySpan<int> tokens, int v, string name)
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)v)
            {
                throw new ArgumentOutOfRangeException(name, tokens[i], $"{name}[{i}] = {tokens[i]} is not a valid token id (vocabulary size {v}).");
            }
        }
    }
}
