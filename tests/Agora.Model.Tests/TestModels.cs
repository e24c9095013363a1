using Agora.Model;

namespace Agora.Model.Tests;

internal static class TestModels
{
    /// <summary>Tiny, but with 2 kv heads for 4 query heads (grouped-query attention).</summary>
    public static ModelConfig TinyGqa { get; } = ModelConfig.Tiny with { NumKeyValueHeads = 2 };

    /// <summary>A model with larger-than-init weights and non-unit norm gains so every gradient is well away from zero.</summary>
    public static LlamaModel Perturbed(ModelConfig config, ulong seed)
    {
        var model = new LlamaModel(config);
        var rng = new SplitMix64(seed);
        foreach (var tensor in model.Layout.Tensors)
        {
            var view = model.Parameters[tensor];
            for (int i = 0; i < view.Length; i++)
            {
                view[i] = tensor.IsMatrix ? (float)(0.15 * rng.NextNormal()) : (float)(1 + (0.2 * rng.NextNormal()));
            }
        }

        return model;
    }

    public static int[] Tokens(int count, int vocab, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var tokens = new int[count];
        for (int i = 0; i < count; i++)
        {
            tokens[i] = (int)(rng.NextUInt64() % (ulong)vocab);
        }

        return tokens;
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "agora-model-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
