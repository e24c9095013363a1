using Agora.Model;

namespace Agora.Model.Tests;

public class TrainerTests
{
    private static readonly TrainerOptions Options = new(LearningRate: 3e-3f, WarmupSteps: 2, TotalSteps: 20, GradAccumulation: 2);

    [Fact]
    public void Training_on_a_repeating_stream_drives_the_loss_down()
    {
        var model = new LlamaModel(ModelConfig.Tiny);
        model.InitializeWeights(1);
        var pattern = TestModels.Tokens(40, 512, 2);
        var tokens = Enumerable.Range(0, 50).SelectMany(_ => pattern).ToArray();
        var trainer = new Trainer(model, new TokenStreamBatches(tokens, 4, 16), Options);
        float first = trainer.TrainStep().Loss;
        TrainStepResult last = null!;
        for (int i = 0; i < 15; i++)
        {
            last = trainer.TrainStep();
        }

        Assert.Equal(16, last.Step);
        Assert.Equal(2 * 4 * 16, last.Tokens);
        Assert.True(last.Loss < first - 1.0, $"loss went from {first} to {last.Loss}");
    }

    [Fact]
    public void Saving_and_resuming_continues_bit_identically()
    {
        var tokens = TestModels.Tokens(3000, 512, 3);
        LlamaModel Fresh()
        {
            var m = new LlamaModel(ModelConfig.Tiny);
            m.InitializeWeights(4);
            return m;
        }

        var straight = new Trainer(Fresh(), new TokenStreamBatches(tokens, 2, 16), Options);
        for (int i = 0; i < 5; i++)
        {
            straight.TrainStep();
        }

        var first = new Trainer(Fresh(), new TokenStreamBatches(tokens, 2, 16), Options) { Window = 9 };
        for (int i = 0; i < 3; i++)
        {
            first.TrainStep();
        }

        string dir = TestModels.TempDirectory();
        first.Save(dir);
        var resumed = new Trainer(Checkpoint.Load(dir), new TokenStreamBatches(tokens, 2, 16), Options);
        resumed.RestoreState(dir);
        Assert.Equal(3, resumed.Step);
        Assert.Equal(9, resumed.Window);
        resumed.TrainStep();
        resumed.TrainStep();
        Assert.True(straight.Model.Parameters.Data.AsSpan().SequenceEqual(resumed.Model.Parameters.Data));
        Assert.True(straight.Optimizer.V.Data.AsSpan().SequenceEqual(resumed.Optimizer.V.Data));
    }

    [Fact]
    public void Batches_are_consecutive_rows_of_t_plus_one_tokens_wrapping_at_the_end()
    {
        var tokens = Enumerable.Range(0, 30).ToArray();
        var source = new TokenStreamBatches(tokens, 2, 4);
        Assert.Equal(6, source.RowCount);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], source.Batch(0));
        Assert.Equal([20, 21, 22, 23, 24, 25, 26, 27, 28, 29], source.Batch(2));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], source.Batch(3));
    }
}
