using Agora.Model;
using Agora.SparseLoCo.Experiments;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Tests;

public class ExperimentRunnerTests
{
    private static readonly ModelConfig Micro = ModelConfig.Create(hidden: 16, layers: 1, heads: 2, kvHeads: 2, vocab: 64, seq: 16);

    private static ExperimentData Data()
    {
        var tokens = Enumerable.Range(0, 3000).Select(i => (i * 7 % 23) + (i / 500)).ToArray();
        return new ExperimentData(tokens, Micro.VocabSize, seqLen: 16, evalSequences: 4, "synthetic");
    }

    private static ExperimentOptions Options(int threads) => new()
    {
        Config = Micro,
        Peers = 3,
        InnerSteps = 3,
        Rounds = 2,
        BatchSize = 2,
        Threads = threads,
        EvalSequences = 4,
        InnerLearningRate = 3e-3f,
    };

    private static (string, int, long, long, double, double)[] WithoutTimes(ExperimentResult result) =>
        result.Records.Select(r => (r.Method, r.Round, r.Tokens, r.BytesPerPeer, r.TrainLoss, r.HeldOutLoss)).ToArray();

    [Fact]
    public void A_run_is_reproducible_and_does_not_depend_on_the_thread_count()
    {
        var one = ExperimentRunner.Run(Options(1), Data());
        var again = ExperimentRunner.Run(Options(1), Data());
        var two = ExperimentRunner.Run(Options(2), Data());
        Assert.Equal(WithoutTimes(one), WithoutTimes(again));
        Assert.Equal(WithoutTimes(one), WithoutTimes(two));
    }

    [Fact]
    public void Every_method_starts_from_the_same_weights_and_counts_the_same_tokens_but_different_bytes()
    {
        var result = ExperimentRunner.Run(Options(1), Data());
        var layout = TensorLayout.FromModel(new ParameterLayout(Micro));
        var starts = result.Records.Where(r => r.Round == 0).Select(r => r.HeldOutLoss).Distinct().ToArray();
        Assert.Single(starts);
        foreach (var method in MethodFactory.Names)
        {
            var final = result.Final(method);
            Assert.Equal(2L * 3 * 3 * 2 * 16, final.Tokens);
            Assert.True(final.HeldOutLoss < starts[0], $"{method}: {final.HeldOutLoss} vs start {starts[0]}");
        }

        Assert.Equal(2 * PayloadFormat.SizeOf(layout, CodecSettings.Default), result.Final(MethodFactory.SparseLoCo).BytesPerPeer);
        Assert.Equal(2 * 4L * layout.TotalElements, result.Final(MethodFactory.DiLoCo).BytesPerPeer);
        Assert.Equal(2 * 3 * 4L * layout.TotalElements, result.Final(MethodFactory.Ddp).BytesPerPeer);
        Assert.Equal(3.0, result.CompressionRatio(MethodFactory.DiLoCo, MethodFactory.Ddp));
    }

    [Fact]
    public void The_model_layout_maps_onto_the_codec_layout_tensor_by_tensor()
    {
        var model = new ParameterLayout(ModelConfig.Tiny);
        var layout = TensorLayout.FromModel(model);
        Assert.Equal(model.Tensors.Count, layout.Count);
        Assert.Equal(model.TotalLength, layout.TotalElements);
        for (var i = 0; i < layout.Count; i++)
        {
            Assert.Equal(model.Tensors[i].Name, layout.Tensors[i].Name);
            Assert.Equal(model.Tensors[i].Offset, layout.OffsetOf(i));
        }
    }

    [Fact]
    public void Data_with_tokens_outside_the_vocabulary_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ExperimentData([1, 2, 64, 3], 64, 2, 1, "bad"));
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }
}
