using System.Buffers.Binary;
using Agora.Data;
using Agora.Model;

namespace Agora.SparseLoCo.Experiments;

/// <summary>The batches peer <c>uid</c> trains on: inner step s is step s mod H of window s / H, and a window's H·B
/// sequences are the peer's miner pages for that window, in draw order. Every method reads its data from here.</summary>
public sealed class PeerBatches : IBatchSource
{
    private readonly ExperimentData _data;
    private readonly PageSampler _sampler;
    private readonly byte[] _salt;
    private readonly int _innerSteps;
    private ulong _cachedWindow = ulong.MaxValue;
    private IReadOnlyList<int[]> _cached = [];

    public PeerBatches(ExperimentData data, uint uid, int innerSteps, int batchSize, ulong seed)
    {
        _data = data;
        _sampler = new PageSampler(data.Train.PageCount);
        Uid = uid;
        _innerSteps = innerSteps;
        BatchSize = batchSize;
        _salt = new byte[16];
        "sloc-exp"u8.CopyTo(_salt);
        BinaryPrimitives.WriteUInt64LittleEndian(_salt.AsSpan(8), seed);
        if ((long)innerSteps * batchSize > data.Train.PageCount)
        {
            throw new ArgumentException($"A window needs {innerSteps * batchSize} distinct training sequences per peer, the data has {data.Train.PageCount}; give more data, fewer inner steps or a smaller batch.");
        }
    }

    public uint Uid { get; }

    public int BatchSize { get; }

    public int SeqLen => _data.SeqLen;

    /// <summary>(B, T + 1) tokens for inner step <paramref name="step"/>.</summary>
    public int[] Batch(long step)
    {
        var window = (ulong)(step / _innerSteps);
        if (window != _cachedWindow)
        {
            var pages = _sampler.MinerPages(Uid, window, _salt, _innerSteps * BatchSize);
            _cached = _data.Train.Batches(pages, BatchSize);
            _cachedWindow = window;
        }

        return _cached[(int)(step % _innerSteps)];
    }
}
