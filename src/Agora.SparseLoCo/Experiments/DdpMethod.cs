using Agora.Model;

namespace Agora.SparseLoCo.Experiments;

/// <summary>Synchronous data-parallel: every step, each peer computes the gradient of its batch and sends it (dense fp32);
/// the mean gradient (summed in peer order) drives one AdamW step of the shared weights. It takes H steps per round, so it
/// sees exactly the sequences the local methods see.</summary>
internal sealed class DdpMethod : ITrainingMethod
{
    private readonly ExperimentOptions _options;
    private readonly LlamaModel _model;
    private readonly Trainer _trainer;

    public DdpMethod(ExperimentOptions options, ExperimentData data, ReadOnlySpan<float> theta0)
    {
        _options = options;
        _model = new LlamaModel(options.Config);
        theta0.CopyTo(_model.Parameters.Data);
        var peers = Enumerable.Range(0, options.Peers).Select(p => new PeerBatches(data, (uint)p, options.InnerSteps, options.BatchSize, options.Seed)).ToArray();
        _trainer = new Trainer(_model, new Interleaved(peers), MethodFactory.TrainerOptions(options, gradAccumulation: options.Peers));
    }

    public string Name => MethodFactory.Ddp;

    public float[] Theta => _model.Parameters.Data;

    public (double TrainLoss, long BytesPerPeer) RunRound(int round)
    {
        double loss = 0;
        for (var s = 0; s < _options.InnerSteps; s++)
        {
            loss += _trainer.TrainStep().Loss;
        }

        return (loss / _options.InnerSteps, 4L * Theta.Length * _options.InnerSteps);
    }

    /// <summary>Micro-batch s·P + p is peer p's batch for step s, so gradient accumulation over P micro-batches is the all-reduce.</summary>
    private sealed class Interleaved(PeerBatches[] peers) : IBatchSource
    {
        public int BatchSize => peers[0].BatchSize;

        public int SeqLen => peers[0].SeqLen;

        public int[] Batch(long step) => peers[step % peers.Length].Batch(step / peers.Length);
    }
}
