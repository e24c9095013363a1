using System.Buffers.Binary;
using Agora.Core.Crypto;
using Agora.SparseLoCo.Aggregation;
using Agora.SparseLoCo.Codec;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Experiments;

/// <summary>SparseLoCo: each peer runs H inner steps, compresses Δ with error feedback, signs and sends the payload;
/// every payload is decoded with the full checks and aggregated in UID order; θ ← θ − α·aggregate.</summary>
internal sealed class SparseLoCoMethod : ITrainingMethod
{
    private readonly ExperimentOptions _options;
    private readonly InnerPeer[] _peers;
    private readonly ErrorFeedbackCompressor[] _compressors;
    private readonly Ed25519KeyPair[] _keys;
    private readonly TensorLayout _layout;
    private readonly byte[] _configHash;
    private readonly SparseAggregator _aggregator;
    private readonly float[] _delta; // (P)

    public SparseLoCoMethod(ExperimentOptions options, ExperimentData data, ReadOnlySpan<float> theta0)
    {
        _options = options;
        Theta = theta0.ToArray();
        _peers = Enumerable.Range(0, options.Peers).Select(p => new InnerPeer(options, data, (uint)p)).ToArray();
        _layout = TensorLayout.FromModel(_peers[0].Model.Layout);
        _configHash = options.Config.Hash();
        _compressors = _peers.Select(_ => new ErrorFeedbackCompressor(_layout, options.Codec)).ToArray();
        _keys = Enumerable.Range(0, options.Peers).Select(p => HotkeyFor(options.Seed, (uint)p)).ToArray();
        _aggregator = new SparseAggregator(_layout, options.Threads);
        _delta = new float[Theta.Length];
    }

    public string Name => MethodFactory.SparseLoCo;

    public float[] Theta { get; }

    public (double TrainLoss, long BytesPerPeer) RunRound(int round)
    {
        var window = (ulong)round;
        var decoded = new DecodedPayload[_peers.Length];
        double loss = 0;
        long bytes = 0;
        for (var p = 0; p < _peers.Length; p++)
        {
            loss += _peers[p].RunWindow(Theta, _options.InnerSteps, _delta);
            var update = _compressors[p].Compress(_delta);
            var payload = PayloadEncoder.Encode(update, new PayloadHeader(_configHash, window, (uint)p), _keys[p]);
            bytes = Math.Max(bytes, payload.Length);
            var expectation = new PayloadExpectation(_layout, _configHash, _options.Codec) { Window = window, Uid = (uint)p };
            decoded[p] = PayloadDecoder.Decode(payload, expectation, _keys[p].PublicKey);
        }

        var aggregate = _aggregator.Aggregate(decoded);
        SparseAggregator.ApplyOuterStep(Theta, aggregate, _options.SparseOuterLearningRate);
        return (loss / _peers.Length, bytes);
    }

    private static Ed25519KeyPair HotkeyFor(ulong seed, uint uid)
    {
        var material = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(material, seed);
        BinaryPrimitives.WriteUInt32LittleEndian(material.AsSpan(8), uid);
        return Ed25519KeyPair.FromSeed(Blake2b.Hash256(material));
    }
}
