using System.Buffers.Binary;
using System.Diagnostics;
using Agora.Core.Crypto;
using Agora.Data;
using Agora.Gauntlet.Acceptance;
using Agora.Gauntlet.Scoring;
using Agora.Model;
using Agora.SparseLoCo;
using Agora.SparseLoCo.Aggregation;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.Gauntlet.Simulation;

/// <summary>Settings of an in-process Gauntlet simulation.</summary>
public sealed record SimulationOptions
{
    public ModelConfig Config { get; init; } = ModelConfig.Tiny;
    public int Windows { get; init; } = 20;
    public IReadOnlyList<SimulatedMinerKind> Miners { get; init; } = MinerMix.Parse("honest:4,copycat:1,noise:1,lazy:1,poison:1,late:1");
    public ulong Seed { get; init; } = 1;

    /// <summary>Inner AdamW steps per window (H) and sequences per step.</summary>
    public int InnerSteps { get; init; } = 4;
    public int BatchSize { get; init; } = 2;
    public float InnerLearningRate { get; init; } = 3e-3f;

    /// <summary>Outer step size α in θ ← θ − α·aggregate.</summary>
    public float OuterLearningRate { get; init; } = 1f;

    public GauntletSettings Gauntlet { get; init; } = GauntletSettings.Default;

    public void Validate()
    {
        Config.Validate();
        if (Windows < 1 || InnerSteps < 1 || BatchSize < 1 || !(InnerLearningRate > 0) || !(OuterLearningRate > 0))
        {
            throw new ArgumentException("Windows, inner steps, batch size and learning rates must be positive.");
        }

        Gauntlet.Validate();
    }
}

/// <summary>One window of a simulation: the validator's report and how long scoring took, wall clock and CPU of the
/// (single-threaded) scoring (not part of the results).</summary>
public sealed record SimulatedWindow(WindowReport Report, TimeSpan ScoringTime, TimeSpan ScoringCpuTime);

/// <summary>
/// Runs miners of several behaviours and one Gauntlet validator in one process, window after window, with real
/// SparseLoCo payloads, a real model and real aggregation. Deterministic for a given seed.
/// </summary>
public sealed class GauntletSimulation
{
    private const long BlocksPerWindow = 100;
    private const long DeadlineOffset = 80;

    private readonly SimulationOptions _options;
    private readonly PagedDataset _pages;
    private readonly PageSampler _sampler;
    private readonly byte[] _salt;
    private readonly TensorLayout _layout;
    private readonly PayloadExpectation _expectation;
    private readonly SimMiner[] _miners;
    private readonly GauntletValidator _validator;
    private readonly RecordingSink _sink = new();
    private readonly float[] _theta;
    private float[] _lastStep = [];

    public GauntletSimulation(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        ModelConfig config = options.Config;
        int rowsPerWindow = Math.Max(options.InnerSteps * options.BatchSize, options.Gauntlet.OwnSequences);
        int row = config.MaxPositionEmbeddings + 1;
        long pagesNeeded = (2L * rowsPerWindow * options.Miners.Count) + (4L * options.Gauntlet.RandomSequences) + 256;
        _pages = new PagedDataset(SyntheticCorpus.Generate(config.VocabSize, checked((int)(pagesNeeded * row)), options.Seed), config.MaxPositionEmbeddings, 1);
        _sampler = new PageSampler(_pages.PageCount);
        _salt = new byte[16];
        "agsimslt"u8.CopyTo(_salt);
        BinaryPrimitives.WriteUInt64LittleEndian(_salt.AsSpan(8), options.Seed);

        var reference = new LlamaModel(config);
        reference.InitializeWeights(options.Seed);
        _layout = TensorLayout.FromModel(reference.Layout);
        _theta = (float[])reference.Parameters.Data.Clone();
        _expectation = new PayloadExpectation(_layout, config.Hash());
        _miners = [.. options.Miners.Select((kind, uid) => new SimMiner((uint)uid, kind, this))];
        var data = new EvaluationData(this);
        _validator = new GauntletValidator(_expectation, new ModelLossEvaluator(config, options.Gauntlet.OwnSequences), data, _sink, options.Gauntlet);
        RowsPerWindow = rowsPerWindow;
    }

    public IReadOnlyList<SimulatedMinerKind> Kinds => _options.Miners;
    public GauntletValidator Validator => _validator;

    /// <summary>The weights the validator handed to the ledger port, per window.</summary>
    public IReadOnlyList<(ulong Window, IReadOnlyList<UidWeight> Weights)> SetWeights => _sink.Calls;

    private int RowsPerWindow { get; }

    /// <summary>Runs every window, reporting each as it completes.</summary>
    public IReadOnlyList<SimulatedWindow> Run(Action<SimulatedWindow>? progress = null)
    {
        var windows = new List<SimulatedWindow>();
        for (ulong w = 0; w < (ulong)_options.Windows; w++)
        {
            SimulatedWindow window = RunWindow(w);
            windows.Add(window);
            progress?.Invoke(window);
        }

        return windows;
    }

    private SimulatedWindow RunWindow(ulong w)
    {
        long deadline = ((long)w * BlocksPerWindow) + DeadlineOffset;
        byte[] evaluationSeed = Blake2b.Hash256([.. _salt, .. BitConverter.GetBytes(deadline), 0x65]);
        var info = new WindowInfo(w, deadline, evaluationSeed);
        int[] syncIndices = SyncScore.SampleIndices(w, _layout.TotalElements, _options.Gauntlet.SyncSampleSize);
        float[] sample = [.. syncIndices.Select(i => _theta[i])];

        var produced = new Dictionary<uint, (CompressedUpdate Update, long Block)>();
        var submissions = new List<PayloadSubmission>();
        foreach (SimMiner miner in _miners.Where(m => m.Kind != SimulatedMinerKind.Copycat))
        {
            if (miner.Produce(w, deadline) is { } made)
            {
                produced[miner.Uid] = (made.Update, made.Block);
                submissions.Add(miner.Submit(w, made.Update, made.Block, made.Payload, sample));
            }
        }

        foreach (SimMiner copycat in _miners.Where(m => m.Kind == SimulatedMinerKind.Copycat))
        {
            SimMiner victim = _miners.First(m => m.Kind is SimulatedMinerKind.Honest or SimulatedMinerKind.Lazy);
            (CompressedUpdate update, long block) = produced[victim.Uid];
            CompressedUpdate copy = w % 2 == 0 ? update : Rescale(update, 1.05f);
            submissions.Add(copycat.Submit(w, copy, block + 1 + copycat.Uid, null, sample));
        }

        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        WindowReport report = _validator.ScoreWindow(info, [.. _miners.Select(m => new MinerEntry(m.Uid, m.Hotkey.PublicKey))], submissions, _theta, _lastStep);
        stopwatch.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        float[] aggregate = new SparseAggregator(_layout).Aggregate(report.Selection);
        _lastStep = new float[aggregate.Length];
        for (int i = 0; i < aggregate.Length; i++)
        {
            _lastStep[i] = _options.OuterLearningRate * aggregate[i];
        }

        SparseAggregator.ApplyOuterStep(_theta, aggregate, _options.OuterLearningRate);
        return new SimulatedWindow(report, stopwatch.Elapsed, cpu);
    }

    private static CompressedUpdate Rescale(CompressedUpdate update, float factor) =>
        new(update.Layout, [.. update.Tensors.Select(t => new CompressedTensor(t.TensorIndex, t.Grid, t.KeepPerChunk,
            new QuantizationParams(t.Quantization.Shift * factor, t.Quantization.Scale * factor, t.Quantization.T0 * factor,
                t.Quantization.T1 * factor, t.Quantization.T2 * factor, t.Quantization.T3 * factor), t.Indices, t.Codes))]);

    private int[] Rows(uint uid, ulong window, int count)
    {
        long[] pages = _sampler.MinerPages(uid, window, _salt, RowsPerWindow);
        return Concatenate(pages.Take(count));
    }

    private int[] Concatenate(IEnumerable<long> pages)
    {
        var rows = new List<int>();
        foreach (long page in pages)
        {
            rows.AddRange(_pages.Page(page).ToArray());
        }

        return [.. rows];
    }

    private sealed class RecordingSink : IWeightSink
    {
        public List<(ulong Window, IReadOnlyList<UidWeight> Weights)> Calls { get; } = [];

        public void SetWeights(ulong window, IReadOnlyList<UidWeight> weights) => Calls.Add((window, weights));
    }

    private sealed class EvaluationData(GauntletSimulation sim) : IEvaluationData
    {
        public int[] RandomRows(WindowInfo window, int sequences) => sim.Concatenate(sim._sampler.RandomPages(window.EvaluationSeed, sequences));

        public int[] OwnRows(uint uid, ulong window, int sequences) => sim.Rows(uid, window, sequences);
    }

    /// <summary>The rows a miner trains on in a window, one (B, T + 1) batch per inner step.</summary>
    private sealed class WindowBatches(int batchSize, int seqLen) : IBatchSource
    {
        public IReadOnlyList<int[]> Current { get; set; } = [];

        /// <summary>The trainer's step count when the window began, so every window starts at its first batch.</summary>
        public long Start { get; set; }

        public int BatchSize => batchSize;
        public int SeqLen => seqLen;

        public int[] Batch(long step) => Current[(int)((step - Start) % Current.Count)];
    }

    private sealed class SimMiner
    {
        private readonly GauntletSimulation _sim;
        private readonly LlamaModel? _model;
        private readonly Trainer? _trainer;
        private readonly WindowBatches? _batches;
        private readonly ErrorFeedbackCompressor? _compressor;
        private readonly SplitMix64 _rng;
        private readonly float[] _delta;

        public SimMiner(uint uid, SimulatedMinerKind kind, GauntletSimulation sim)
        {
            Uid = uid;
            Kind = kind;
            _sim = sim;
            Span<byte> seed = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(seed, sim._options.Seed);
            BinaryPrimitives.WriteUInt32LittleEndian(seed[8..], uid);
            Hotkey = Ed25519KeyPair.FromSeed(Blake2b.Hash256(seed));
            _rng = new SplitMix64(sim._options.Seed ^ (0x9E3779B97F4A7C15UL * (uid + 1UL)));
            _delta = new float[sim._layout.TotalElements];
            if (kind is SimulatedMinerKind.Honest or SimulatedMinerKind.Lazy or SimulatedMinerKind.Poison or SimulatedMinerKind.Late)
            {
                _model = new LlamaModel(sim._options.Config);
                _batches = new WindowBatches(sim._options.BatchSize, sim._options.Config.MaxPositionEmbeddings);
                _trainer = new Trainer(_model, _batches, new TrainerOptions(
                    LearningRate: sim._options.InnerLearningRate, WarmupSteps: 0, TotalSteps: 1_000_000));
                _compressor = new ErrorFeedbackCompressor(sim._layout);
            }
        }

        public uint Uid { get; }
        public SimulatedMinerKind Kind { get; }
        public Ed25519KeyPair Hotkey { get; }

        public (CompressedUpdate Update, long Block, byte[]? Payload)? Produce(ulong window, long deadline)
        {
            long onTime = deadline - 40 + Uid;
            switch (Kind)
            {
                case SimulatedMinerKind.Absent:
                    return null;
                case SimulatedMinerKind.Noise:
                    return (NoiseUpdate(), onTime, null);
                case SimulatedMinerKind.Lazy:
                    Train(window, pagesOf: Uid + 1000, Math.Max(1, _sim._options.InnerSteps / 2));
                    return (_compressor!.Compress(_delta), onTime, null);
                case SimulatedMinerKind.Late:
                    Train(window, pagesOf: Uid, _sim._options.InnerSteps);
                    return (_compressor!.Compress(_delta), deadline + 5, null);
                case SimulatedMinerKind.Poison:
                    Train(window, pagesOf: Uid, _sim._options.InnerSteps);
                    switch (window % 3)
                    {
                        case 0:
                            for (int i = 0; i < _delta.Length; i++)
                            {
                                _delta[i] = -_delta[i];
                            }

                            return (_compressor!.Compress(_delta), onTime, null);
                        case 1:
                            return (Rescale(_compressor!.Compress(_delta), 1e9f), onTime, null);
                        default:
                            return (Rescale(_compressor!.Compress(_delta), float.NaN), onTime, null);
                    }

                default:
                    Train(window, pagesOf: Uid, _sim._options.InnerSteps);
                    return (_compressor!.Compress(_delta), onTime, null);
            }
        }

        public PayloadSubmission Submit(ulong window, CompressedUpdate update, long block, byte[]? payload, float[] sample)
        {
            payload ??= PayloadEncoder.Encode(update, new PayloadHeader(_sim._expectation.ConfigHash, window, Uid), Hotkey);
            return new PayloadSubmission(Uid, payload, Blake2b.Hash256(payload.AsSpan(0, payload.Length - PayloadFormat.DigestSize - PayloadFormat.SignatureSize)), block, sample);
        }

        private void Train(ulong window, uint pagesOf, int steps)
        {
            long[] pages = _sim._sampler.MinerPages(pagesOf, window, _sim._salt, _sim.RowsPerWindow);
            _batches!.Current = _sim._pages.Batches(pages.Take(_sim._options.InnerSteps * _sim._options.BatchSize).ToArray(), _sim._options.BatchSize);
            _batches.Start = _trainer!.Step;
            _sim._theta.CopyTo(_model!.Parameters.Data, 0);
            for (int s = 0; s < steps; s++)
            {
                _trainer!.TrainStep();
            }

            float[] local = _model.Parameters.Data;
            for (int i = 0; i < _delta.Length; i++)
            {
                _delta[i] = _sim._theta[i] - local[i];
            }
        }

        private CompressedUpdate NoiseUpdate()
        {
            for (int i = 0; i < _delta.Length; i++)
            {
                _delta[i] = (float)(_rng.NextNormal() * 1e-3);
            }

            return new ErrorFeedbackCompressor(_sim._layout).Compress(_delta);
        }
    }
}
