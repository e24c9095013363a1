using System.Buffers.Binary;
using Agora.Core.Crypto;

namespace Agora.Model;

/// <summary>
/// The shape of a LLaMA-style decoder, with the field names of a Hugging Face LlamaConfig (see <see cref="ModelConfigJson"/>).
/// Agora always ties the output head to the token embedding.
/// </summary>
public sealed record ModelConfig(
    int HiddenSize,
    int IntermediateSize,
    int NumHiddenLayers,
    int NumAttentionHeads,
    int NumKeyValueHeads,
    int VocabSize,
    int MaxPositionEmbeddings,
    double RopeTheta = 10000.0,
    double RmsNormEps = 1e-5,
    bool TieWordEmbeddings = true)
{
    /// <summary>Tests: d=64, 2 layers, 4 heads (4 kv heads), vocab 512, seq 64.</summary>
    public static ModelConfig Tiny { get; } = Create(hidden: 64, layers: 2, heads: 4, kvHeads: 4, vocab: 512, seq: 64);

    /// <summary>Benchmarks and the devnet: d=256, 4 layers, 4 heads, vocab 4096, seq 256.</summary>
    public static ModelConfig Small { get; } = Create(hidden: 256, layers: 4, heads: 4, kvHeads: 4, vocab: 4096, seq: 256);

    /// <summary>d=512, 8 layers, 8 heads, vocab 8192, seq 512.</summary>
    public static ModelConfig Base { get; } = Create(hidden: 512, layers: 8, heads: 8, kvHeads: 8, vocab: 8192, seq: 512);

    /// <summary>The names <see cref="Named"/> accepts, in size order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tiny", "small", "base"];

    /// <summary>Per-head width D = hidden_size / num_attention_heads.</summary>
    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Width of the key/value projections: num_key_value_heads · D.</summary>
    public int KvDim => NumKeyValueHeads * HeadDim;

    /// <summary>
    /// A named config ("tiny", "small", "base"); throws naming the valid names otherwise.
    /// </summary>
    public static ModelConfig Named(string name) => name switch
    {
        "tiny" => Tiny,
        "small" => Small,
        "base" => Base,
        _ => throw new ArgumentException($"Unknown model config '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// A config with Agora's defaults. The MLP width rule: intermediate_size = ⌈(8/3)·d / 32⌉·32, i.e. the
    /// LLaMA 2/3·4d SwiGLU width rounded UP to a multiple of 32 (tiny 192, small 704, base 1376).
    /// </summary>
    public static ModelConfig Create(int hidden, int layers, int heads, int kvHeads, int vocab, int seq, double ropeTheta = 10000.0, double rmsNormEps = 1e-5)
    {
        var config = new ModelConfig(hidden, DefaultIntermediateSize(hidden), layers, heads, kvHeads, vocab, seq, ropeTheta, rmsNormEps);
        config.Validate();
        return config;
    }

    /// <summary>⌈(8/3)·d / 32⌉·32 in integer arithmetic.</summary>
    public static int DefaultIntermediateSize(int hidden)
    {
        if (hidden <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "hidden_size must be positive.");
        }

        long raw = ((8L * hidden) + 2) / 3; // ⌈8d/3⌉
        return checked((int)((raw + 31) / 32 * 32));
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first field that is out of range or inconsistent.</summary>
    public void Validate()
    {
        Require(HiddenSize > 0, "hidden_size", HiddenSize, "must be positive");
        Require(IntermediateSize > 0, "intermediate_size", IntermediateSize, "must be positive");
        Require(NumHiddenLayers > 0, "num_hidden_layers", NumHiddenLayers, "must be positive");
        Require(NumAttentionHeads > 0, "num_attention_heads", NumAttentionHeads, "must be positive");
        Require(HiddenSize % NumAttentionHeads == 0, "num_attention_heads", NumAttentionHeads, $"must divide hidden_size {HiddenSize}");
        Require(HeadDim % 2 == 0, "num_attention_heads", NumAttentionHeads, $"must leave an even head dimension for RoPE (hidden_size / heads = {HeadDim})");
        Require(NumKeyValueHeads > 0, "num_key_value_heads", NumKeyValueHeads, "must be positive");
        Require(NumAttentionHeads % NumKeyValueHeads == 0, "num_key_value_heads", NumKeyValueHeads, $"must divide num_attention_heads {NumAttentionHeads}");
        Require(VocabSize > 1, "vocab_size", VocabSize, "must be at least 2");
        Require(MaxPositionEmbeddings > 0, "max_position_embeddings", MaxPositionEmbeddings, "must be positive");
        Require(double.IsFinite(RopeTheta) && RopeTheta > 1.0, "rope_theta", RopeTheta, "must be a finite number above 1");
        Require(double.IsFinite(RmsNormEps) && RmsNormEps > 0 && RmsNormEps < 1, "rms_norm_eps", RmsNormEps, "must be in (0, 1)");
        Require(TieWordEmbeddings, "tie_word_embeddings", TieWordEmbeddings, "must be true: Agora ties the output head to the embedding");
        Require(ParameterCount() < int.MaxValue, "hidden_size", HiddenSize, "gives more parameters than one float[] can hold");
    }

    /// <summary>Total number of parameters (tied head counted once).</summary>
    public long ParameterCount()
    {
        long c = HiddenSize, f = IntermediateSize, kv = KvDim;
        long perLayer = c + (c * c) + (2 * kv * c) + (c * c) + c + (3 * c * f);
        return (VocabSize * c) + (NumHiddenLayers * perLayer) + c;
    }

    /// <summary>
    /// BLAKE2b-256 of the canonical encoding: the ASCII tag "agora.model-config.v1", then hidden_size, intermediate_size,
    /// num_hidden_layers, num_attention_heads, num_key_value_heads, vocab_size, max_position_embeddings as int32 LE,
    /// rope_theta and rms_norm_eps as IEEE-754 float64 LE, tie_word_embeddings as one byte. Wire formats carry it.
    /// </summary>
    public byte[] Hash()
    {
        var tag = "agora.model-config.v1"u8;
        var buffer = new byte[tag.Length + (7 * 4) + (2 * 8) + 1];
        tag.CopyTo(buffer);
        var span = buffer.AsSpan(tag.Length);
        foreach (var value in new[] { HiddenSize, IntermediateSize, NumHiddenLayers, NumAttentionHeads, NumKeyValueHeads, VocabSize, MaxPositionEmbeddings })
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, value);
            span = span[4..];
        }

        BinaryPrimitives.WriteDoubleLittleEndian(span, RopeTheta);
        BinaryPrimitives.WriteDoubleLittleEndian(span[8..], RmsNormEps);
        span[16] = TieWordEmbeddings ? (byte)1 : (byte)0;
        return Blake2b.Hash256(buffer);
    }

    private static void Require(bool ok, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new InvalidDataException($"Invalid model config: {field} = {value} {rule}.");
        }
    }
}
