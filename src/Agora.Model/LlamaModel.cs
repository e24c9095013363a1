using Agora.Tensors;

namespace Agora.Model;

/// <summary>
/// The LLaMA-style decoder over flat buffers, llm.c style: one forward and one backward per block, parameters and
/// gradients each in one <see cref="FlatBuffer"/>, activations allocated once per (B, T) and reused.
/// Every kernel splits work by output only, so the loss and every gradient are bit-identical for any <see cref="Threads"/>.
/// </summary>
public sealed class LlamaModel
{
    private Activations? _acts;
    private int _lastBatch;
    private int _lastSeqLen;
    private bool _readyForBackward;

    public LlamaModel(ModelConfig config)
    {
        Layout = new ParameterLayout(config);
        Parameters = new FlatBuffer(Layout);
        Gradients = new FlatBuffer(Layout);
    }

    public ModelConfig Config => Layout.Config;

    public ParameterLayout Layout { get; }

    public FlatBuffer Parameters { get; }

    /// <summary>Accumulated by <see cref="Backward"/>; cleared by <see cref="ZeroGrad"/>.</summary>
    public FlatBuffer Gradients { get; }

    /// <summary>Worker threads for every kernel; 1 runs on the calling thread. Results do not depend on it.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Seeded initialization: every matrix (embedding and all projections) from N(0, 0.02²) drawn in buffer order from
    /// one <see cref="SplitMix64"/> stream, every RMSNorm gain = 1.
    /// </summary>
    public void InitializeWeights(ulong seed)
    {
        var rng = new SplitMix64(seed);
        foreach (var tensor in Layout.Tensors)
        {
            var view = Parameters[tensor];
            if (tensor.IsMatrix)
            {
                for (int i = 0; i < view.Length; i++)
                {
                    view[i] = (float)(0.02 * rng.NextNormal());
                }
            }
            else
            {
                view.Fill(1f);
            }
        }
    }

    public void ZeroGrad() => Gradients.Clear();

    /// <summary>The (b, t, V) logits of the last forward pass (valid until the next backward pass).</summary>
    public ReadOnlySpan<float> Logits => _acts is null ? default : _acts.Logits.AsSpan(0, _lastBatch * _lastSeqLen * Config.VocabSize);

    /// <summary>Forward pass without a loss: fills <see cref="Logits"/>. <paramref name="inputs"/> is (b, t).</summary>
    public void Forward(ReadOnlySpan<int> inputs, int batch, int seqLen)
    {
        Prepare(inputs, default, batch, seqLen, withTargets: false);
        RunForward(batch, seqLen);
        _readyForBackward = false;
    }

    /// <summary>Forward pass with the mean cross-entropy over all b·t positions. inputs and targets are (b, t).</summary>
    public float Forward(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int batch, int seqLen)
    {
        Prepare(inputs, targets, batch, seqLen, withTargets: true);
        RunForward(batch, seqLen);
        var acts = _acts!;
        int n = batch * seqLen, v = Config.VocabSize;
        float loss = CrossEntropy.Forward(acts.Logits.AsSpan(0, n * v), acts.Targets.AsSpan(0, n), acts.Probs.AsSpan(0, n * v), n, v, Threads);
        _readyForBackward = true;
        return loss;
    }

    /// <summary>
    /// Forward pass over <paramref name="tokens"/> (b, t+1): inputs are the first t of each row, targets the last t.
    /// </summary>
    public float ForwardSequences(ReadOnlySpan<int> tokens, int batch, int seqLen)
    {
        var (inputs, targets) = SplitSequences(tokens, batch, seqLen);
        return Forward(inputs, targets, batch, seqLen);
    }

    /// <summary>Splits (b, t+1) rows into inputs (b, t) and next-token targets (b, t).</summary>
    public static (int[] Inputs, int[] Targets) SplitSequences(ReadOnlySpan<int> tokens, int batch, int seqLen)
    {
        if (batch <= 0 || seqLen <= 0 || tokens.Length != batch * (seqLen + 1))
        {
            throw new ArgumentException($"Expected {batch} sequences of {seqLen + 1} tokens ({batch * (seqLen + 1)} in all), got {tokens.Length}.", nameof(tokens));
        }

        var inputs = new int[batch * seqLen];
        var targets = new int[batch * seqLen];
        for (int b = 0; b < batch; b++)
        {
            var row = tokens.Slice(b * (seqLen + 1), seqLen + 1);
            row[..seqLen].CopyTo(inputs.AsSpan(b * seqLen));
            row[1..].CopyTo(targets.AsSpan(b * seqLen));
        }

        return (inputs, targets);
    }

    /// <summary>
    /// Accumulates into <see cref="Gradients"/> the gradient of <paramref name="lossWeight"/> × the mean loss of the last
    /// <see cref="Forward(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int)"/> (lossWeight 1/k for k accumulated micro-batches).
    /// </summary>
    public void Backward(float lossWeight = 1f)
    {
        if (!_readyForBackward)
        {
            throw new InvalidOperationException("Backward needs a preceding forward pass with targets, and runs once per forward pass.");
        }

        _readyForBackward = false;
        var acts = _acts!;
        var cfg = Config;
        int b = _lastBatch, t = _lastSeqLen, n = b * t;
        int c = cfg.HiddenSize, f = cfg.IntermediateSize, kv = cfg.KvDim, v = cfg.VocabSize;
        int hq = cfg.NumAttentionHeads, hkv = cfg.NumKeyValueHeads, d = cfg.HeadDim;
        float theta = (float)cfg.RopeTheta;
        int threads = Threads;
        var p = Parameters;
        var g = Gradients;

        var dlogits = acts.Logits.AsSpan(0, n * v);                         // (N, V), replaces the logits
        CrossEntropy.Backward(acts.Probs.AsSpan(0, n * v), acts.Targets.AsSpan(0, n), dlogits, n, v, lossWeight / n, threads);
        var lnf = acts.FinalNorm.AsSpan(0, n * c);
        Gemm.MatMulTransA(dlogits, lnf, g[Layout.Embedding], v, n, c, accumulate: true, threads);   // dE (V, C) += dlogitsᵀ · lnf
        var dnorm = acts.DNorm.AsSpan(0, n * c);
        Gemm.MatMul(dlogits, p[Layout.Embedding], dnorm, n, v, c, accumulate: false, threads);      // dlnf (N, C) = dlogits · E
        var dres = acts.DResidual.AsSpan(0, n * c);
        dres.Clear();
        RmsNorm.Backward(dnorm, acts.Residual[cfg.NumHiddenLayers].AsSpan(0, n * c), p[Layout.FinalNorm], acts.FinalNormRstd.AsSpan(0, n), dres, g[Layout.FinalNorm], n, c, threads);

        var datt = acts.DAttention.AsSpan(0, n * c);
        var dq = acts.DQ.AsSpan(0, n * c);
        var dk = acts.DK.AsSpan(0, n * kv);
        var dv = acts.DV.AsSpan(0, n * kv);
        var dact = acts.DAct.AsSpan(0, n * f);
        var dgate = acts.DGate.AsSpan(0, n * f);
        var dup = acts.DUp.AsSpan(0, n * f);
        for (int l = cfg.NumHiddenLayers - 1; l >= 0; l--)
        {
            var w = Layout.Layers[l];
            var a = acts.Layers[l];
            var input = acts.Residual[l].AsSpan(0, n * c);
            var ln1 = a.Ln1.AsSpan(0, n * c);
            var ln2 = a.Ln2.AsSpan(0, n * c);

            // out = mid + act · Wdownᵀ
            Gemm.MatMul(dres, p[w.Down], dact, n, c, f, accumulate: false, threads);                 // dact (N, F)
            Gemm.MatMulTransA(dres, a.Act.AsSpan(0, n * f), g[w.Down], c, n, f, accumulate: true, threads);
            SwiGlu.Backward(dact, a.Gate.AsSpan(0, n * f), a.Up.AsSpan(0, n * f), dgate, dup, n * f, threads);
            Gemm.MatMul(dgate, p[w.Gate], dnorm, n, f, c, accumulate: false, threads);               // dln2 (N, C)
            Gemm.MatMul(dup, p[w.Up], dnorm, n, f, c, accumulate: true, threads);
            Gemm.MatMulTransA(dgate, ln2, g[w.Gate], f, n, c, accumulate: true, threads);
            Gemm.MatMulTransA(dup, ln2, g[w.Up], f, n, c, accumulate: true, threads);
            RmsNorm.Backward(dnorm, a.Mid.AsSpan(0, n * c), p[w.PostAttentionNorm], a.Ln2Rstd.AsSpan(0, n), dres, g[w.PostAttentionNorm], n, c, threads);

            // mid = input + attention · Woᵀ
            Gemm.MatMul(dres, p[w.O], datt, n, c, c, accumulate: false, threads);
            Gemm.MatMulTransA(dres, a.Attention.AsSpan(0, n * c), g[w.O], c, n, c, accumulate: true, threads);
            Attention.Backward(datt, a.Q.AsSpan(0, n * c), a.K.AsSpan(0, n * kv), a.V.AsSpan(0, n * kv), a.Probs.AsSpan(0, b * hq * t * t), dq, dk, dv, b, t, hq, hkv, d, threads);
            Rope.Backward(dq, b, t, hq, d, theta, threads);
            Rope.Backward(dk, b, t, hkv, d, theta, threads);
            Gemm.MatMul(dq, p[w.Q], dnorm, n, c, c, accumulate: false, threads);                    // dln1 (N, C)
            Gemm.MatMul(dk, p[w.K], dnorm, n, kv, c, accumulate: true, threads);
            Gemm.MatMul(dv, p[w.V], dnorm, n, kv, c, accumulate: true, threads);
            Gemm.MatMulTransA(dq, ln1, g[w.Q], c, n, c, accumulate: true, threads);
            Gemm.MatMulTransA(dk, ln1, g[w.K], kv, n, c, accumulate: true, threads);
            Gemm.MatMulTransA(dv, ln1, g[w.V], kv, n, c, accumulate: true, threads);
            RmsNorm.Backward(dnorm, input, p[w.InputNorm], a.Ln1Rstd.AsSpan(0, n), dres, g[w.InputNorm], n, c, threads);
        }

        Embedding.Backward(dres, acts.Inputs.AsSpan(0, n), g[Layout.Embedding], v, c, threads);
    }

    /// <summary>Zeroes the gradients, runs forward and backward over (b, t+1) token rows, returns the mean loss.</summary>
    public float ForwardBackward(ReadOnlySpan<int> tokens, int batch, int seqLen)
    {
        float loss = ForwardSequences(tokens, batch, seqLen);
        ZeroGrad();
        Backward();
        return loss;
    }

    private void Prepare(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int batch, int seqLen, bool withTargets)
    {
        if (batch <= 0 || seqLen <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch ({batch}) and sequence length ({seqLen}) must be positive.");
        }

        if (seqLen > Config.MaxPositionEmbeddings)
        {
            throw new ArgumentOutOfRangeException(nameof(seqLen), seqLen, $"Sequence length exceeds max_position_embeddings ({Config.MaxPositionEmbeddings}).");
        }

        int n = checked(batch * seqLen);
        if (inputs.Length != n)
        {
            throw new ArgumentException($"Expected {n} input tokens (batch {batch} × seq {seqLen}), got {inputs.Length}.", nameof(inputs));
        }

        CheckTokens(inputs, "input");
        if (withTargets)
        {
            if (targets.Length != n)
            {
                throw new ArgumentException($"Expected {n} target tokens (batch {batch} × seq {seqLen}), got {targets.Length}.", nameof(targets));
            }

            CheckTokens(targets, "target");
        }

        EnsureCapacity(batch, seqLen);
        var acts = _acts!;
        inputs.CopyTo(acts.Inputs);
        if (withTargets)
        {
            targets.CopyTo(acts.Targets);
        }

        _lastBatch = batch;
        _lastSeqLen = seqLen;
    }

    /// <summary>Allocates activations for at least (batch, seqLen) now, so later calls up to that size allocate nothing.</summary>
    public void EnsureCapacity(int batch, int seqLen)
    {
        if (_acts is null || !_acts.Fits(batch, seqLen))
        {
            int capacityBatch = Math.Max(batch, _acts?.Batch ?? 0), capacitySeq = Math.Max(seqLen, _acts?.SeqLen ?? 0);
            _acts = null; // let the old buffers go before allocating the new ones
            _readyForBackward = false;
            _acts = new Activations(Config, capacityBatch, capacitySeq);
        }
    }

    private void CheckTokens(ReadOnlySpan<int> tokens, string what)
    {
        int v = Config.VocabSize;
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)v)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[i], $"The {what} token at position {i} is {tokens[i]}, outside the vocabulary [0, {v}).");
            }
        }
    }

    private void RunForward(int b, int t)
    {
        var acts = _acts!;
        var cfg = Config;
        int n = b * t;
        int c = cfg.HiddenSize, f = cfg.IntermediateSize, kv = cfg.KvDim, v = cfg.VocabSize;
        int hq = cfg.NumAttentionHeads, hkv = cfg.NumKeyValueHeads, d = cfg.HeadDim;
        float eps = (float)cfg.RmsNormEps, theta = (float)cfg.RopeTheta;
        int threads = Threads;
        var p = Parameters;

        Embedding.Forward(acts.Inputs.AsSpan(0, n), p[Layout.Embedding], acts.Residual[0].AsSpan(0, n * c), v, c, threads);
        for (int l = 0; l < cfg.NumHiddenLayers; l++)
        {
            var w = Layout.Layers[l];
            var a = acts.Layers[l];
            var input = acts.Residual[l].AsSpan(0, n * c);
            var output = acts.Residual[l + 1].AsSpan(0, n * c);
            var ln1 = a.Ln1.AsSpan(0, n * c);
            var q = a.Q.AsSpan(0, n * c);
            var k = a.K.AsSpan(0, n * kv);
            var val = a.V.AsSpan(0, n * kv);
            var att = a.Attention.AsSpan(0, n * c);
            var mid = a.Mid.AsSpan(0, n * c);
            var ln2 = a.Ln2.AsSpan(0, n * c);
            var gate = a.Gate.AsSpan(0, n * f);
            var up = a.Up.AsSpan(0, n * f);
            var act = a.Act.AsSpan(0, n * f);

            RmsNorm.Forward(input, p[w.InputNorm], ln1, a.Ln1Rstd.AsSpan(0, n), n, c, eps, threads);
            Gemm.MatMulTransB(ln1, p[w.Q], q, n, c, c, accumulate: false, threads);
            Gemm.MatMulTransB(ln1, p[w.K], k, n, c, kv, accumulate: false, threads);
            Gemm.MatMulTransB(ln1, p[w.V], val, n, c, kv, accumulate: false, threads);
            Rope.Forward(q, b, t, hq, d, theta, threads);
            Rope.Forward(k, b, t, hkv, d, theta, threads);
            Attention.Forward(q, k, val, att, a.Probs.AsSpan(0, b * hq * t * t), b, t, hq, hkv, d, threads);
            input.CopyTo(mid);
            Gemm.MatMulTransB(att, p[w.O], mid, n, c, c, accumulate: true, threads);
            RmsNorm.Forward(mid, p[w.PostAttentionNorm], ln2, a.Ln2Rstd.AsSpan(0, n), n, c, eps, threads);
            Gemm.MatMulTransB(ln2, p[w.Gate], gate, n, c, f, accumulate: false, threads);
            Gemm.MatMulTransB(ln2, p[w.Up], up, n, c, f, accumulate: false, threads);
            SwiGlu.Forward(gate, up, act, n * f, threads);
            mid.CopyTo(output);
            Gemm.MatMulTransB(act, p[w.Down], output, n, f, c, accumulate: true, threads);
        }

        var lnf = acts.FinalNorm.AsSpan(0, n * c);
        RmsNorm.Forward(acts.Residual[cfg.NumHiddenLayers].AsSpan(0, n * c), p[Layout.FinalNorm], lnf, acts.FinalNormRstd.AsSpan(0, n), n, c, eps, threads);
        Gemm.MatMulTransB(lnf, p[Layout.Embedding], acts.Logits.AsSpan(0, n * v), n, c, v, accumulate: false, threads); // logits = lnf · Eᵀ
    }
}
