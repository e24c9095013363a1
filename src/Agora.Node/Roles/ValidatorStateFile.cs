using System.Buffers.Binary;
using Agora.Core.Crypto;
using Agora.Gauntlet.State;

namespace Agora.Node.Roles;

/// <summary>
/// Everything a validator resumes from, in ONE file so a crash can never leave ratings of one window beside θ of
/// another: the next window to score, θ, the last outer step, the held-out loss history, the selection it published
/// for the last window (republished after a crash) and the Gauntlet's <see cref="ValidatorState"/>. Written to a
/// temporary file and renamed. Layout, little-endian: "AGVF" ‖ version u16 (1) ‖ reserved u16 (0) ‖ next score u64 ‖
/// first score u64 ‖ P u32 ‖ θ f32 × P ‖ last step f32 × P ‖ loss count u32 ‖ (window u64 ‖ loss f64) × count ‖
/// selection length u32 ‖ selection ‖ Gauntlet state length u32 ‖ Gauntlet state ‖ BLAKE2b-256 of all before it.
/// </summary>
public sealed class ValidatorStateFile
{
    public const string FileName = "validator.state";
    public const ushort FormatVersion = 1;

    // The layout before this file: Gauntlet state and θ in two files, saved one after the other.
    public const string LegacyGauntletFileName = "gauntlet.state";
    public const string LegacyThetaFileName = "validator.theta";

    private const int HeaderSize = 4 + 2 + 2 + 8 + 8 + 4;
    private const int DigestSize = 32;
    private static ReadOnlySpan<byte> Magic => "AGVF"u8;

    public ValidatorStateFile(float[] theta, float[] lastStep, ValidatorState gauntlet)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(lastStep);
        ArgumentNullException.ThrowIfNull(gauntlet);
        if (lastStep.Length != theta.Length)
        {
            throw new ArgumentException($"The last step has {lastStep.Length} values; θ has {theta.Length}.", nameof(lastStep));
        }

        Theta = theta;
        LastStep = lastStep;
        Gauntlet = gauntlet;
    }

    /// <summary>The next window to score (θ is the global weights at its start).</summary>
    public ulong NextScore { get; set; }

    /// <summary>The first window this validator scores; earlier ones it only replays from the lead (a late joiner).</summary>
    public ulong FirstScore { get; set; }

    public float[] Theta { get; } // (P)

    /// <summary>The outer step applied for window <see cref="NextScore"/> − 1 (zeros when none). // (P)</summary>
    public float[] LastStep { get; } // (P)

    public List<(ulong Window, double Loss)> LossHistory { get; init; } = [];

    /// <summary>The encoded selection published for window <see cref="NextScore"/> − 1, or empty.</summary>
    public byte[] LastSelection { get; set; } = [];

    public ValidatorState Gauntlet { get; }

    public byte[] Serialize()
    {
        var gauntlet = Gauntlet.Serialize();
        var p = Theta.Length;
        var size = HeaderSize + (8L * p) + 4 + (16L * LossHistory.Count) + 4 + LastSelection.Length + 4 + gauntlet.Length + DigestSize;
        var bytes = new byte[size];
        var s = bytes.AsSpan();
        Magic.CopyTo(s);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], NextScore);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], FirstScore);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)p);
        var pos = HeaderSize;
        Publication.EncodeVector(Theta).CopyTo(s[pos..]);
        pos += 4 * p;
        Publication.EncodeVector(LastStep).CopyTo(s[pos..]);
        pos += 4 * p;
        BinaryPrimitives.WriteUInt32LittleEndian(s[pos..], (uint)LossHistory.Count);
        pos += 4;
        foreach (var (window, loss) in LossHistory)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(s[pos..], window);
            BinaryPrimitives.WriteDoubleLittleEndian(s[(pos + 8)..], loss);
            pos += 16;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(s[pos..], (uint)LastSelection.Length);
        LastSelection.CopyTo(s[(pos + 4)..]);
        pos += 4 + LastSelection.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(s[pos..], (uint)gauntlet.Length);
        gauntlet.CopyTo(s[(pos + 4)..]);
        pos += 4 + gauntlet.Length;
        Blake2b.Hash256(s[..pos]).CopyTo(s[pos..]);
        return bytes;
    }

    /// <summary>Strict decode; any deviation throws <see cref="InvalidDataException"/> naming <paramref name="source"/> and the problem.</summary>
    /// <param name="parameterCount">The model's P, or null to accept the file's own.</param>
    public static ValidatorStateFile Deserialize(byte[] bytes, int? parameterCount, string source = "validator state")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        InvalidDataException Bad(string problem) => new($"{source}: {problem}; delete the validator's state directory to start over.");
        if (bytes.Length < 4 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw Bad("not a validator state file (it does not start with \"AGVF\")");
        }

        if (bytes.Length < HeaderSize)
        {
            throw Bad($"truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte header");
        }

        var s = bytes.AsSpan();
        var version = BinaryPrimitives.ReadUInt16LittleEndian(s[4..]);
        if (version != FormatVersion)
        {
            throw Bad($"format version {version} is not supported; this build reads version {FormatVersion}");
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(s[6..]) != 0)
        {
            throw Bad("the reserved field is not zero");
        }

        var nextScore = BinaryPrimitives.ReadUInt64LittleEndian(s[8..]);
        var firstScore = BinaryPrimitives.ReadUInt64LittleEndian(s[16..]);
        var p = BinaryPrimitives.ReadUInt32LittleEndian(s[24..]);
        if (parameterCount is { } expected && p != (uint)expected)
        {
            throw Bad($"θ has {p} parameters but the model has {expected}");
        }

        long pos = HeaderSize;
        void Need(long n, string what)
        {
            if (bytes.Length - pos < n)
            {
                throw Bad($"truncated in {what}: {bytes.Length} bytes, at least {pos + n} needed");
            }
        }

        Need((8L * p) + 4, "θ and the last step");
        var theta = Publication.DecodeVector(bytes[(int)pos..(int)(pos + (4L * p))], (int)p);
        pos += 4L * p;
        var lastStep = Publication.DecodeVector(bytes[(int)pos..(int)(pos + (4L * p))], (int)p);
        pos += 4L * p;
        var losses = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)pos..]);
        pos += 4;
        Need((16L * losses) + 4, "the loss history");
        var history = new List<(ulong, double)>((int)losses);
        for (var i = 0; i < losses; i++, pos += 16)
        {
            var window = BinaryPrimitives.ReadUInt64LittleEndian(s[(int)pos..]);
            if (history.Count > 0 && window <= history[^1].Item1)
            {
                throw Bad($"loss history entry {i} (window {window}) is not after the one before it");
            }

            history.Add((window, BinaryPrimitives.ReadDoubleLittleEndian(s[(int)(pos + 8)..])));
        }

        var selectionLength = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)pos..]);
        pos += 4;
        Need(selectionLength + 4L, "the last selection");
        var selection = bytes[(int)pos..(int)(pos + selectionLength)];
        pos += selectionLength;
        var gauntletLength = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)pos..]);
        pos += 4;
        Need(gauntletLength + (long)DigestSize, "the Gauntlet state");
        var gauntletBytes = s.Slice((int)pos, (int)gauntletLength);
        pos += gauntletLength;
        if (pos + DigestSize != bytes.Length)
        {
            throw Bad($"{bytes.Length - pos - DigestSize} trailing bytes after the Gauntlet state");
        }

        if (!Blake2b.Hash256(s[..(int)pos]).AsSpan().SequenceEqual(s[(int)pos..]))
        {
            throw Bad("the checksum does not match the contents (the file is corrupt)");
        }

        ValidatorState gauntlet;
        try
        {
            gauntlet = ValidatorState.Deserialize(gauntletBytes);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        if (gauntlet.LastWindow is { } last && last >= nextScore)
        {
            throw Bad($"the Gauntlet has scored window {last} but the next window to score is {nextScore}");
        }

        if (selection.Length > 0)
        {
            var (window, _) = Publication.DecodeSelection(selection);
            if (window + 1 != nextScore)
            {
                throw Bad($"the last selection is for window {window}, not {nextScore - 1}");
            }
        }

        return new ValidatorStateFile(theta, lastStep, gauntlet) { NextScore = nextScore, FirstScore = firstScore, LossHistory = history, LastSelection = selection };
    }

    /// <summary>Writes atomically: to a temporary file first (flushed to disk), then renamed over the target.</summary>
    public void Save(string path)
    {
        var bytes = Serialize();
        AtomicFile.Write(path, f => f.Write(bytes));
    }

    /// <summary>The saved state, or null when <paramref name="path"/> does not exist.</summary>
    public static ValidatorStateFile? TryLoad(string path, int? parameterCount) =>
        File.Exists(path) ? Deserialize(File.ReadAllBytes(path), parameterCount, path) : null;

    /// <summary>The Gauntlet's ratings as saved in a validator's state file (for tests and tools that inspect them).</summary>
    public static ValidatorState LoadGauntlet(string path) =>
        TryLoad(path, null)?.Gauntlet ?? throw new FileNotFoundException($"No validator state at {path}.", path);

    /// <summary>
    /// Reads the two-file layout of earlier builds (gauntlet.state and validator.theta in <paramref name="directory"/>),
    /// or null when neither exists. Those were saved one after the other, so a crash between the renames left ratings
    /// for window w beside θ from before it; <paramref name="publishedAggregate"/> (the validator's own published
    /// aggregate of a window, or null) lets θ catch up with the ratings.
    /// </summary>
    public static ValidatorStateFile? TryLoadLegacy(string directory, int parameterCount, float outerLearningRate, Func<ulong, float[]?> publishedAggregate)
    {
        ArgumentNullException.ThrowIfNull(publishedAggregate);
        var gauntletPath = Path.Combine(directory, LegacyGauntletFileName);
        var thetaPath = Path.Combine(directory, LegacyThetaFileName);
        if (!File.Exists(thetaPath))
        {
            // Without θ the earlier build started afresh at the current window; only its ratings carry over then.
            return null;
        }

        var bytes = File.ReadAllBytes(thetaPath);
        if (bytes.Length != 8 + (8L * parameterCount))
        {
            throw new InvalidDataException($"{thetaPath}: {bytes.Length} bytes do not hold θ for {parameterCount} parameters; delete the validator's state directory to start over.");
        }

        ValidatorState gauntlet;
        try
        {
            gauntlet = File.Exists(gauntletPath) ? ValidatorState.Load(gauntletPath) : new ValidatorState();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{gauntletPath}: {e.Message}", e);
        }

        var p = parameterCount;
        var state = new ValidatorStateFile(Publication.DecodeVector(bytes[8..(8 + (4 * p))], p), Publication.DecodeVector(bytes[(8 + (4 * p))..], p), gauntlet)
        {
            NextScore = BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        };
        while (gauntlet.LastWindow is { } last && last >= state.NextScore)
        {
            // The earlier build published before it saved: its own aggregate of the window is what it applied.
            var w = state.NextScore;
            var aggregate = publishedAggregate(w)
                ?? throw new InvalidDataException($"{gauntletPath} has ratings for window {last} but {thetaPath} holds θ before window {w}, and the aggregate of window {w} is not in the validator's store; delete the validator's state directory to start over.");
            for (var i = 0; i < p; i++)
            {
                state.LastStep[i] = outerLearningRate * aggregate[i];
            }

            Agora.SparseLoCo.Aggregation.SparseAggregator.ApplyOuterStep(state.Theta, aggregate, outerLearningRate);
            state.NextScore = w + 1;
        }

        return state;
    }

    /// <summary>Removes the two-file layout once its contents live in the new file.</summary>
    public static void DeleteLegacy(string directory)
    {
        File.Delete(Path.Combine(directory, LegacyThetaFileName));
        File.Delete(Path.Combine(directory, LegacyGauntletFileName));
    }
}
