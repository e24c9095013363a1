namespace Agora.SparseLoCo.Experiments;

/// <summary>One way of training the shared weights across peers, advanced one round (one outer step) at a time.</summary>
public interface ITrainingMethod
{
    string Name { get; }

    /// <summary>The global weights θ every peer agrees on. // (P)</summary>
    float[] Theta { get; }

    /// <summary>Runs round <paramref name="round"/> (0-based) and returns (mean training loss, bytes sent per peer).</summary>
    (double TrainLoss, long BytesPerPeer) RunRound(int round);
}
