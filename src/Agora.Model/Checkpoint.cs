using System.Globalization;

namespace Agora.Model;

/// <summary>
/// A checkpoint directory: config.json (HF LlamaConfig), model.safetensors (every parameter as F32 under its HF name)
/// and, optionally, trainer_state.safetensors: the AdamW moments as "exp_avg.NAME" and "exp_avg_sq.NAME" with
/// __metadata__ {format "agora.trainer-state", version "1", step, window, config_hash (hex BLAKE2b-256)}.
/// Loading validates everything before it changes anything.
/// </summary>
public static class Checkpoint
{
    public const string ModelFileName = "model.safetensors";
    public const string TrainerStateFileName = "trainer_state.safetensors";
    private const string TrainerFormat = "agora.trainer-state";
    private const string TrainerVersion = "1";

    public static void Save(string directory, LlamaModel model, AdamWOptimizer? optimizer = null, TrainingProgress? progress = null)
    {
        Directory.CreateDirectory(directory);
        ModelConfigJson.Write(Path.Combine(directory, ModelConfigJson.FileName), model.Config);
        SaveTensors(Path.Combine(directory, ModelFileName), model.Parameters, prefix: "", new Dictionary<string, string> { ["format"] = "pt" });
        string trainerPath = Path.Combine(directory, TrainerStateFileName);
        if (optimizer is null)
        {
            File.Delete(trainerPath); // a stale optimizer state must not be resumed against new weights
            return;
        }

        progress ??= new TrainingProgress(optimizer.Step, 0);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = TrainerFormat,
            ["version"] = TrainerVersion,
            ["step"] = progress.Step.ToString(CultureInfo.InvariantCulture),
            ["optimizer_step"] = optimizer.Step.ToString(CultureInfo.InvariantCulture),
            ["window"] = progress.Window.ToString(CultureInfo.InvariantCulture),
            ["config_hash"] = Convert.ToHexStringLower(model.Config.Hash()),
        };
        var tensors = ToTensors(optimizer.M, "exp_avg.").Concat(ToTensors(optimizer.V, "exp_avg_sq."));
        SafeTensorsFile.Write(trainerPath, tensors, metadata);
    }

    /// <summary>Writes every tensor of <paramref name="buffer"/> under "prefix + HF name" (used for gradients too).</summary>
    public static void SaveTensors(string path, FlatBuffer buffer, string prefix = "", IReadOnlyDictionary<string, string>? metadata = null)
        => SafeTensorsFile.Write(path, ToTensors(buffer, prefix), metadata);

    /// <summary>Reads config.json and model.safetensors into a new model.</summary>
    public static LlamaModel Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Checkpoint directory not found: {directory}.");
        }

        var config = ModelConfigJson.Read(Path.Combine(directory, ModelConfigJson.FileName));
        var model = new LlamaModel(config);
        LoadTensors(Path.Combine(directory, ModelFileName), model.Parameters);
        return model;
    }

    public static bool HasTrainerState(string directory) => File.Exists(Path.Combine(directory, TrainerStateFileName));

    /// <summary>Loads the AdamW moments and step into <paramref name="optimizer"/>; returns the saved progress.</summary>
    public static TrainingProgress LoadTrainerState(string directory, ModelConfig config, AdamWOptimizer optimizer)
    {
        string path = Path.Combine(directory, TrainerStateFileName);
        var (tensors, metadata) = SafeTensorsFile.Read(path);
        string Meta(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"{path}: __metadata__ lacks '{key}'.");
        if (Meta("format") != TrainerFormat || Meta("version") != TrainerVersion)
        {
            throw new InvalidDataException($"{path}: not an Agora trainer state version {TrainerVersion} (format '{Meta("format")}', version '{Meta("version")}').");
        }

        string expectedHash = Convert.ToHexStringLower(config.Hash());
        if (Meta("config_hash") != expectedHash)
        {
            throw new InvalidDataException($"{path}: config_hash {Meta("config_hash")} does not match the model config ({expectedHash}).");
        }

        long step = ParseCount(path, "step", Meta("step"));
        long window = ParseCount(path, "window", Meta("window"));
        long optimizerStep = ParseCount(path, "optimizer_step", Meta("optimizer_step"));
        if (optimizerStep > int.MaxValue)
        {
            throw new InvalidDataException($"{path}: optimizer_step {optimizerStep} is out of range.");
        }

        var m = new FlatBuffer(optimizer.M.Layout);
        var v = new FlatBuffer(optimizer.V.Layout);
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (prefix, target) in new[] { ("exp_avg.", m), ("exp_avg_sq.", v) })
        {
            foreach (var spec in target.Layout.Tensors)
            {
                expected.Add(prefix + spec.Name);
            }

            FillFrom(path, byName, target, prefix);
        }

        var unknown = tensors.Select(t => t.Name).FirstOrDefault(name => !expected.Contains(name));
        if (unknown is not null)
        {
            throw new InvalidDataException($"{path}: unknown tensor '{unknown}'.");
        }

        optimizer.M.CopyFrom(m);
        optimizer.V.CopyFrom(v);
        optimizer.Step = (int)optimizerStep;
        return new TrainingProgress(step, window);
    }

    /// <summary>Loads a safetensors file holding exactly the tensors of <paramref name="target"/>'s layout (F32, same shapes).</summary>
    public static void LoadTensors(string path, FlatBuffer target, string prefix = "")
    {
        var (tensors, _) = SafeTensorsFile.Read(path);
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!t.Name.StartsWith(prefix, StringComparison.Ordinal) || !target.Layout.Contains(t.Name[prefix.Length..]))
            {
                throw new InvalidDataException($"{path}: unknown tensor '{t.Name}' (not a parameter of this model config).");
            }
        }

        var staged = new FlatBuffer(target.Layout);
        FillFrom(path, byName, staged, prefix);
        target.CopyFrom(staged);
    }

    private static void FillFrom(string path, Dictionary<string, SafeTensor> byName, FlatBuffer target, string prefix)
    {
        foreach (var spec in target.Layout.Tensors)
        {
            string name = prefix + spec.Name;
            if (!byName.TryGetValue(name, out var tensor))
            {
                throw new InvalidDataException($"{path}: missing tensor '{name}'.");
            }

            if (!tensor.Shape.SequenceEqual(spec.Shape))
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has shape {tensor.ShapeText}, expected {spec.ShapeText}.");
            }

            tensor.Data.CopyTo(target[spec]);
        }
    }

    private static IEnumerable<SafeTensor> ToTensors(FlatBuffer buffer, string prefix)
        => buffer.Layout.Tensors.Select(t => new SafeTensor(prefix + t.Name, t.Shape, buffer[t].ToArray()));

    private static long ParseCount(string path, string key, string text)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new InvalidDataException($"{path}: __metadata__ '{key}' = '{text}' is not a non-negative integer.");
}
