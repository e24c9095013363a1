using System.Buffers.Binary;
using Agora.Data;
using Agora.Model;
using Agora.SparseLoCo;
using Agora.SparseLoCo.Wire;

namespace Agora.Node.Roles;

/// <summary>What every peer of a subnet must agree on to train together: model config, codec, data split, page salt,
/// inner steps, learning rates, window clock and the seed of θ₀. Built the same way on every peer from the same tokens.</summary>
public sealed class SubnetSetup
{
    public SubnetSetup(ushort netuid, ModelConfig config, int[] tokens, WindowClock clock, int innerSteps = 8, int batchSize = 4, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(innerSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Netuid = netuid;
        Config = config;
        Clock = clock;
        InnerSteps = innerSteps;
        BatchSize = batchSize;
        Seed = seed;
        var row = config.MaxPositionEmbeddings + 1;
        var heldOutTokens = Math.Max(tokens.Length / 10, HeldOutSequences * row);
        if (tokens.Length - heldOutTokens < RowsPerWindow * row * 2)
        {
            throw new ArgumentException($"The data has {tokens.Length} tokens; config {config.HiddenSize}d needs at least {(RowsPerWindow * row * 2) + heldOutTokens}. Give more data (--data) or fewer inner steps.");
        }

        foreach (var t in tokens)
        {
            if ((uint)t >= (uint)config.VocabSize)
            {
                throw new ArgumentException($"Token {t} is outside the model's vocabulary of {config.VocabSize}; tokenize with a matching vocabulary.");
            }
        }

        Train = new PagedDataset(tokens[..^heldOutTokens], config.MaxPositionEmbeddings, sequencesPerPage: 1);
        var start = tokens.Length - heldOutTokens;
        HeldOut = tokens[start..(start + (HeldOutSequences * row))];
        Sampler = new PageSampler(Train.PageCount);
        Salt = new byte[16];
        "agoranet"u8.CopyTo(Salt);
        BinaryPrimitives.WriteUInt16LittleEndian(Salt.AsSpan(8), netuid);
        BinaryPrimitives.WriteUInt32LittleEndian(Salt.AsSpan(12), (uint)seed);
        var model = new LlamaModel(config);
        Layout = TensorLayout.FromModel(model.Layout);
        ConfigHash = config.Hash();
        Expectation = new PayloadExpectation(Layout, ConfigHash, Codec);
    }

    public const int HeldOutSequences = 8;

    public ushort Netuid { get; }

    public ModelConfig Config { get; }

    public WindowClock Clock { get; }

    public int InnerSteps { get; }

    public int BatchSize { get; }

    public ulong Seed { get; }

    public float InnerLearningRate { get; init; } = 3e-3f;

    public float OuterLearningRate { get; init; } = 1f;

    public CodecSettings Codec { get; } = CodecSettings.Default;

    public TensorLayout Layout { get; }

    public byte[] ConfigHash { get; }

    public PayloadExpectation Expectation { get; }

    public PagedDataset Train { get; }

    public PageSampler Sampler { get; }

    public byte[] Salt { get; }

    /// <summary>Held-out sequences every peer reports its loss on. // (HeldOutSequences, T + 1)</summary>
    public int[] HeldOut { get; }

    public int RowsPerWindow => InnerSteps * BatchSize;

    /// <summary>The exact size in bytes of every valid payload.</summary>
    public long PayloadBytes => Expectation.ExactSize;

    public float[] InitialTheta()
    {
        var model = new LlamaModel(Config);
        model.InitializeWeights(Seed);
        return model.Parameters.Data.ToArray();
    }

    /// <summary>The pages <paramref name="uid"/> trains on in <paramref name="window"/>, in draw order.</summary>
    public long[] MinerPages(uint uid, ulong window) => Sampler.MinerPages(uid, window, Salt, RowsPerWindow);

    /// <summary>The first <paramref name="count"/> of a miner's pages as rows. // (count, T + 1)</summary>
    public int[] OwnRows(uint uid, ulong window, int count) => Rows(MinerPages(uid, window).Take(count));

    public int[] Rows(IEnumerable<long> pages)
    {
        var rows = new List<int>();
        foreach (var page in pages)
        {
            rows.AddRange(Train.Page(page).ToArray());
        }

        return [.. rows];
    }
}
