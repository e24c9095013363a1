using Agora.Model;

namespace Agora.SparseLoCo.Experiments;

/// <summary>Builds the three compared methods from one set of options and one starting point.</summary>
public static class MethodFactory
{
    public const string SparseLoCo = "sparseloco";
    public const string DiLoCo = "diloco";
    public const string Ddp = "ddp";

    public static IReadOnlyList<string> Names { get; } = [SparseLoCo, DiLoCo, Ddp];

    public static ITrainingMethod Create(string name, ExperimentOptions options, ExperimentData data, ReadOnlySpan<float> theta0) => name switch
    {
        SparseLoCo => new SparseLoCoMethod(options, data, theta0),
        DiLoCo => new DiLoCoMethod(options, data, theta0),
        Ddp => new DdpMethod(options, data, theta0),
        _ => throw new ArgumentException($"Unknown method '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Inner (or, for data-parallel, only) AdamW schedule: warmup over the first 10% of all steps (at most 100), then cosine.</summary>
    internal static TrainerOptions TrainerOptions(ExperimentOptions options, int gradAccumulation)
    {
        var total = (int)Math.Min(int.MaxValue, options.TotalInnerSteps);
        return new TrainerOptions(
            LearningRate: options.InnerLearningRate,
            WarmupSteps: Math.Min(100, total / 10),
            TotalSteps: total,
            GradAccumulation: gradAccumulation,
            Threads: options.Threads);
    }
}
