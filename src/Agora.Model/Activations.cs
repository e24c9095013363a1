namespace Agora.Model;

/// <summary>
/// Everything the forward pass saves for the backward pass, plus the backward scratch, allocated once for a capacity of
/// (B, T) and reused by every step. A call with smaller (b, t) uses the leading part of each buffer with its own strides.
/// </summary>
internal sealed class Activations
{
    public Activations(ModelConfig config, int batch, int seqLen)
    {
        Batch = batch;
        SeqLen = seqLen;
        int n = checked(batch * seqLen);
        int c = config.HiddenSize, f = config.IntermediateSize, kv = config.KvDim, v = config.VocabSize;
        Inputs = new int[n];
        Targets = new int[n];
        Residual = new float[config.NumHiddenLayers + 1][];
        for (int i = 0; i < Residual.Length; i++)
        {
            Residual[i] = new float[n * c];
        }

        Layers = new LayerActivations[config.NumHiddenLayers];
        for (int i = 0; i < Layers.Length; i++)
        {
            Layers[i] = new LayerActivations(n, c, f, kv, checked(batch * config.NumAttentionHeads * seqLen * seqLen));
        }

        FinalNorm = new float[n * c];
        FinalNormRstd = new float[n];
        Logits = new float[checked(n * v)];
        Probs = new float[checked(n * v)];
        DResidual = new float[n * c];
        DNorm = new float[n * c];
        DAttention = new float[n * c];
        DQ = new float[n * c];
        DK = new float[n * kv];
        DV = new float[n * kv];
        DAct = new float[n * f];
        DGate = new float[n * f];
        DUp = new float[n * f];
    }

    public int Batch { get; }

    public int SeqLen { get; }

    public int[] Inputs { get; }      // (B, T)

    public int[] Targets { get; }     // (B, T)

    /// <summary>Residual[0] is the embedding output; Residual[l + 1] is the output of block l. Each (B, T, C).</summary>
    public float[][] Residual { get; }

    public LayerActivations[] Layers { get; }

    public float[] FinalNorm { get; }     // (B, T, C)

    public float[] FinalNormRstd { get; } // (B, T)

    /// <summary>(B, T, V); the backward pass overwrites it with dlogits.</summary>
    public float[] Logits { get; }

    public float[] Probs { get; }         // (B, T, V) softmax of the logits

    public float[] DResidual { get; }     // (B, T, C) gradient of the residual stream
    public float[] DNorm { get; }         // (B, T, C) gradient of a norm output
    public float[] DAttention { get; }    // (B, T, C)
    public float[] DQ { get; }            // (B, T, Hq, D)
    public float[] DK { get; }            // (B, T, Hkv, D)
    public float[] DV { get; }            // (B, T, Hkv, D)
    public float[] DAct { get; }          // (B, T, F)
    public float[] DGate { get; }         // (B, T, F)
    public float[] DUp { get; }           // (B, T, F)

    public bool Fits(int batch, int seqLen) => batch <= Batch && seqLen <= SeqLen;
}

/// <summary>The saved activations of one decoder block.</summary>
internal sealed class LayerActivations
{
    public LayerActivations(int n, int c, int f, int kv, int probs)
    {
        Ln1 = new float[n * c];
        Ln1Rstd = new float[n];
        Q = new float[n * c];
        K = new float[n * kv];
        V = new float[n * kv];
        Probs = new float[probs];
        Attention = new float[n * c];
        Mid = new float[n * c];
        Ln2 = new float[n * c];
        Ln2Rstd = new float[n];
        Gate = new float[n * f];
        Up = new float[n * f];
        Act = new float[n * f];
    }

    public float[] Ln1 { get; }        // (B, T, C) input_layernorm output
    public float[] Ln1Rstd { get; }    // (B, T)
    public float[] Q { get; }          // (B, T, Hq, D) after RoPE
    public float[] K { get; }          // (B, T, Hkv, D) after RoPE
    public float[] V { get; }          // (B, T, Hkv, D)
    public float[] Probs { get; }      // (B, Hq, T, T) attention weights
    public float[] Attention { get; }  // (B, T, Hq·D) attention output before o_proj
    public float[] Mid { get; }        // (B, T, C) residual after attention
    public float[] Ln2 { get; }        // (B, T, C) post_attention_layernorm output
    public float[] Ln2Rstd { get; }    // (B, T)
    public float[] Gate { get; }       // (B, T, F) gate_proj output
    public float[] Up { get; }         // (B, T, F) up_proj output
    public float[] Act { get; }        // (B, T, F) silu(gate)·up
}
