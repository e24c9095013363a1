namespace Agora.Model;

/// <summary>
/// The fixed order of the named tensors inside every flat buffer (parameters, gradients, AdamW m and v). It is the
/// order of PyTorch's <c>LlamaForCausalLM.named_parameters()</c>:
/// <code>
/// model.embed_tokens.weight                       (V, C)
/// for i in 0..L-1:
///   model.layers.{i}.self_attn.q_proj.weight      (C, C)          Linear weights are (out, in)
///   model.layers.{i}.self_attn.k_proj.weight      (Hkv·D, C)
///   model.layers.{i}.self_attn.v_proj.weight      (Hkv·D, C)
///   model.layers.{i}.self_attn.o_proj.weight      (C, C)
///   model.layers.{i}.mlp.gate_proj.weight         (F, C)
///   model.layers.{i}.mlp.up_proj.weight           (F, C)
///   model.layers.{i}.mlp.down_proj.weight         (C, F)
///   model.layers.{i}.input_layernorm.weight       (C)
///   model.layers.{i}.post_attention_layernorm.weight (C)
/// model.norm.weight                               (C)
/// </code>
/// The output head is the embedding (tied), so lm_head.weight does not exist.
/// </summary>
public sealed class ParameterLayout
{
    private readonly Dictionary<string, int> _index;

    public ParameterLayout(ModelConfig config)
    {
        config.Validate();
        Config = config;
        int c = config.HiddenSize, f = config.IntermediateSize, kv = config.KvDim;
        var tensors = new List<TensorSpec>();
        int offset = 0;
        void Add(string name, params int[] shape)
        {
            var spec = new TensorSpec(name, shape, offset);
            tensors.Add(spec);
            offset = checked(offset + spec.Length);
        }

        Add("model.embed_tokens.weight", config.VocabSize, c);
        var layers = new LayerTensors[config.NumHiddenLayers];
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            string p = $"model.layers.{i}.";
            int first = tensors.Count;
            Add(p + "self_attn.q_proj.weight", c, c);
            Add(p + "self_attn.k_proj.weight", kv, c);
            Add(p + "self_attn.v_proj.weight", kv, c);
            Add(p + "self_attn.o_proj.weight", c, c);
            Add(p + "mlp.gate_proj.weight", f, c);
            Add(p + "mlp.up_proj.weight", f, c);
            Add(p + "mlp.down_proj.weight", c, f);
            Add(p + "input_layernorm.weight", c);
            Add(p + "post_attention_layernorm.weight", c);
            layers[i] = new LayerTensors(
                Q: tensors[first], K: tensors[first + 1], V: tensors[first + 2], O: tensors[first + 3],
                Gate: tensors[first + 4], Up: tensors[first + 5], Down: tensors[first + 6],
                InputNorm: tensors[first + 7], PostAttentionNorm: tensors[first + 8]);
        }

        Add("model.norm.weight", c);
        Tensors = tensors;
        Embedding = tensors[0];
        Layers = layers;
        FinalNorm = tensors[^1];
        TotalLength = offset;
        _index = tensors.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    public ModelConfig Config { get; }

    /// <summary>Every tensor in buffer order.</summary>
    public IReadOnlyList<TensorSpec> Tensors { get; }

    public TensorSpec Embedding { get; }

    public IReadOnlyList<LayerTensors> Layers { get; }

    public TensorSpec FinalNorm { get; }

    /// <summary>Number of floats in one flat buffer.</summary>
    public int TotalLength { get; }

    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>The tensor called <paramref name="name"/>; throws naming it when there is none.</summary>
    public TensorSpec this[string name] => _index.TryGetValue(name, out int i)
        ? Tensors[i]
        : throw new KeyNotFoundException($"The model has no tensor named '{name}'.");
}

/// <summary>The nine tensors of one decoder block.</summary>
public sealed record LayerTensors(
    TensorSpec Q, TensorSpec K, TensorSpec V, TensorSpec O,
    TensorSpec Gate, TensorSpec Up, TensorSpec Down,
    TensorSpec InputNorm, TensorSpec PostAttentionNorm);
