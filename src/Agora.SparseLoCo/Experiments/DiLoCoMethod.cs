namespace Agora.SparseLoCo.Experiments;

/// <summary>DiLoCo: each peer runs H inner steps and sends its dense fp32 Δ; the mean Δ drives an outer SGD step with
/// Nesterov momentum (PyTorch's form: u ← μ·u + Δ̄; θ ← θ − lr·(Δ̄ + μ·u); lr 0.7, μ 0.9 as in the DiLoCo paper).</summary>
internal sealed class DiLoCoMethod : ITrainingMethod
{
    private readonly ExperimentOptions _options;
    private readonly InnerPeer[] _peers;
    private readonly float[] _delta; // (P)
    private readonly float[] _mean; // (P)
    private readonly float[] _momentum; // (P)

    public DiLoCoMethod(ExperimentOptions options, ExperimentData data, ReadOnlySpan<float> theta0)
    {
        _options = options;
        Theta = theta0.ToArray();
        _peers = Enumerable.Range(0, options.Peers).Select(p => new InnerPeer(options, data, (uint)p)).ToArray();
        _delta = new float[Theta.Length];
        _mean = new float[Theta.Length];
        _momentum = new float[Theta.Length];
    }

    public string Name => MethodFactory.DiLoCo;

    public float[] Theta { get; }

    public (double TrainLoss, long BytesPerPeer) RunRound(int round)
    {
        Array.Clear(_mean);
        double loss = 0;
        foreach (var peer in _peers)
        {
            loss += peer.RunWindow(Theta, _options.InnerSteps, _delta);
            for (var i = 0; i < _mean.Length; i++)
            {
                _mean[i] += _delta[i];
            }
        }

        float inv = 1f / _peers.Length, mu = _options.DiLoCoMomentum, lr = _options.DiLoCoOuterLearningRate;
        for (var i = 0; i < Theta.Length; i++)
        {
            var g = _mean[i] * inv;
            _momentum[i] = (mu * _momentum[i]) + g;
            Theta[i] -= lr * (g + (mu * _momentum[i]));
        }

        return (loss / _peers.Length, 4L * Theta.Length);
    }
}
