using Agora.Model;

namespace Agora.SparseLoCo.Experiments;

/// <summary>Runs the compared methods one after another from the same seeded starting weights, in one process, and
/// scores the global weights on the same held-out sequences after every round. Deterministic for a given seed.</summary>
public static class ExperimentRunner
{
    public static ExperimentResult Run(ExperimentOptions options, ExperimentData data, IReadOnlyList<string>? methods = null, IProgress<RoundRecord>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        if (data.SeqLen != options.SeqLen)
        {
            throw new ArgumentException($"The data was cut into sequences of {data.SeqLen} tokens; the options ask for {options.SeqLen}.", nameof(data));
        }

        methods ??= MethodFactory.Names;
        var start = new LlamaModel(options.Config);
        start.InitializeWeights(options.Seed);
        var theta0 = start.Parameters.Data;
        var evaluator = new LlamaModel(options.Config) { Threads = options.Threads };
        var tokensPerRound = (long)options.Peers * options.InnerSteps * options.BatchSize * options.SeqLen;

        var records = new List<RoundRecord>();
        foreach (var name in methods)
        {
            var method = MethodFactory.Create(name, options, data, theta0);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            records.Add(Report(progress, new RoundRecord(name, 0, 0, 0, double.NaN, HeldOutLoss(evaluator, method.Theta, data), 0)));
            long bytes = 0;
            for (var round = 0; round < options.Rounds; round++)
            {
                var (trainLoss, sent) = method.RunRound(round);
                bytes += sent;
                var heldOut = HeldOutLoss(evaluator, method.Theta, data);
                if (!double.IsFinite(heldOut))
                {
                    throw new InvalidOperationException($"{name} diverged in round {round + 1} (held-out loss {heldOut}); lower --lr.");
                }

                records.Add(Report(progress, new RoundRecord(name, round + 1, tokensPerRound * (round + 1), bytes, trainLoss, heldOut, watch.Elapsed.TotalSeconds)));
            }
        }

        return new ExperimentResult(options, records);
    }

    public static double HeldOutLoss(LlamaModel evaluator, ReadOnlySpan<float> theta, ExperimentData data)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(data);
        theta.CopyTo(evaluator.Parameters.Data);
        return evaluator.ForwardSequences(data.HeldOut, data.EvalSequences, data.SeqLen);
    }

    private static RoundRecord Report(IProgress<RoundRecord>? progress, RoundRecord record)
    {
        progress?.Report(record);
        return record;
    }
}
