using Agora.Model;

namespace Agora.Model.Tests;

public class CheckpointTests
{
    [Fact]
    public void Saved_model_loads_back_with_identical_weights_and_config()
    {
        var model = TestModels.Perturbed(TestModels.TinyGqa, 1);
        string dir = TestModels.TempDirectory();
        Checkpoint.Save(dir, model);
        var loaded = Checkpoint.Load(dir);
        Assert.Equal(model.Config, loaded.Config);
        Assert.True(model.Parameters.Data.AsSpan().SequenceEqual(loaded.Parameters.Data));
        Assert.False(Checkpoint.HasTrainerState(dir));
        var (tensors, metadata) = SafeTensorsFile.Read(Path.Combine(dir, Checkpoint.ModelFileName));
        Assert.Equal(model.Layout.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal), tensors.Select(t => t.Name));
        Assert.Equal("pt", metadata["format"]);
    }

    [Fact]
    public void Unknown_missing_and_misshapen_tensors_are_rejected_and_leave_the_model_unchanged()
    {
        var model = TestModels.Perturbed(ModelConfig.Tiny, 1);
        var before = model.Parameters.Data.ToArray();
        string dir = TestModels.TempDirectory();
        string path = Path.Combine(dir, "m.safetensors");
        var tensors = model.Layout.Tensors.Select(t => new SafeTensor(t.Name, t.Shape, new float[t.Length])).ToList();

        SafeTensorsFile.Write(path, tensors.Append(new SafeTensor("lm_head.weight", [1], [0f])));
        Assert.Contains("unknown tensor 'lm_head.weight'", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadTensors(path, model.Parameters)).Message);

        SafeTensorsFile.Write(path, tensors.Where(t => t.Name != "model.norm.weight"));
        Assert.Contains("missing tensor 'model.norm.weight'", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadTensors(path, model.Parameters)).Message);

        SafeTensorsFile.Write(path, tensors.Select(t => t.Name == "model.norm.weight" ? new SafeTensor(t.Name, [8, 8], t.Data) : t));
        Assert.Contains("shape [8, 8], expected [64]", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadTensors(path, model.Parameters)).Message);

        Assert.Equal(before, model.Parameters.Data);
    }

    [Fact]
    public void Trainer_state_round_trips_moments_step_and_window_and_checks_the_config_hash()
    {
        var model = TestModels.Perturbed(ModelConfig.Tiny, 1);
        var optimizer = new AdamWOptimizer(model.Layout);
        model.ForwardBackward(TestModels.Tokens(2 * 9, 512, 1), 2, 8);
        optimizer.Update(model.Parameters, model.Gradients, 1e-3f);
        string dir = TestModels.TempDirectory();
        Checkpoint.Save(dir, model, optimizer, new TrainingProgress(7, 3));

        var restored = new AdamWOptimizer(model.Layout);
        var progress = Checkpoint.LoadTrainerState(dir, model.Config, restored);
        Assert.Equal(new TrainingProgress(7, 3), progress);
        Assert.Equal(1, restored.Step);
        Assert.Equal(optimizer.M.Data, restored.M.Data);
        Assert.Equal(optimizer.V.Data, restored.V.Data);

        var other = new AdamWOptimizer(new ParameterLayout(ModelConfig.Tiny with { RopeTheta = 20000 }));
        Assert.Contains("config_hash", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadTrainerState(dir, ModelConfig.Tiny with { RopeTheta = 20000 }, other)).Message);
    }

    [Fact]
    public void Loading_a_directory_without_a_config_names_the_missing_file()
    {
        string dir = TestModels.TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(dir));
        Assert.Contains("config.json", e.Message);
    }
}
