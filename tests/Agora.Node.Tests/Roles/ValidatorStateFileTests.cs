using System.Buffers.Binary;
using Agora.Gauntlet.OpenSkill;
using Agora.Gauntlet.State;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

public sealed class ValidatorStateFileTests : IDisposable
{
    private const int P = 6;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-vsf-" + Guid.NewGuid().ToString("N"));

    public ValidatorStateFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ValidatorStateFile Sample()
    {
        var gauntlet = new ValidatorState { LastWindow = 6 };
        gauntlet.Set(3, MinerRecord.New(new Rating(27.5, 4.25)) with { Bma = 0.5, Sync = 0.75, LastEvaluatedWindow = 6 });
        gauntlet.Set(9, MinerRecord.New(new Rating(21, 7)) with { ConsecutiveMisses = 2 });
        var selection = Publication.EncodeSelection(6, [new SelectedPayload(3, new byte[32], Enumerable.Repeat((byte)7, 32).ToArray(), "file:///tmp/s/", "payloads/x.bin")]);
        return new ValidatorStateFile([1f, -2f, 3.5f, 0f, float.Epsilon, -0f], [0.25f, 0, 0, 0, 0, -1], gauntlet)
        {
            NextScore = 7,
            FirstScore = 2,
            LossHistory = [(4, 6.5), (5, 6.25), (6, 6.0)],
            LastSelection = selection,
        };
    }

    [Fact]
    public void Round_trip_keeps_every_field_bit_for_bit()
    {
        var path = Path.Combine(_dir, ValidatorStateFile.FileName);
        var original = Sample();
        original.Save(path);
        var loaded = ValidatorStateFile.TryLoad(path, P)!;
        Assert.Equal(7UL, loaded.NextScore);
        Assert.Equal(2UL, loaded.FirstScore);
        Assert.Equal(original.Theta.Select(BitConverter.SingleToInt32Bits), loaded.Theta.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(original.LastStep, loaded.LastStep);
        Assert.Equal(original.LossHistory, loaded.LossHistory);
        Assert.Equal(original.LastSelection, loaded.LastSelection);
        Assert.Equal(original.Gauntlet.Serialize(), loaded.Gauntlet.Serialize());
        Assert.Equal(original.Serialize(), File.ReadAllBytes(path));
        Assert.Equal(original.Gauntlet.Serialize(), ValidatorStateFile.LoadGauntlet(path).Serialize());
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Null(ValidatorStateFile.TryLoad(Path.Combine(_dir, "absent"), P));
    }

    public static TheoryData<string> Corruptions() => ["truncated", "empty", "magic", "version", "reserved", "parameters", "checksum", "trailing", "gauntlet-ahead", "selection-window"];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Each_corruption_is_refused_with_a_message_naming_the_file_and_the_problem(string kind)
    {
        var state = Sample();
        var bytes = state.Serialize();
        var expected = kind;
        switch (kind)
        {
            case "truncated":
                bytes = bytes[..^40];
                break;
            case "empty":
                bytes = [];
                expected = "AGVF";
                break;
            case "magic":
                bytes[0] = (byte)'X';
                expected = "AGVF";
                break;
            case "version":
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 9);
                expected = "version 9";
                break;
            case "reserved":
                bytes[6] = 1;
                break;
            case "parameters":
                expected = $"has {P} parameters but the model has {P + 1}";
                break;
            case "checksum":
                bytes[40] ^= 1; // inside θ
                break;
            case "trailing":
                bytes = [.. bytes, 0];
                break;
            case "gauntlet-ahead":
                state.Gauntlet.LastWindow = 7;
                bytes = state.Serialize();
                expected = "has scored window 7";
                break;
            case "selection-window":
                state.LastSelection = Publication.EncodeSelection(3, []);
                bytes = state.Serialize();
                expected = "selection is for window 3";
                break;
        }

        var path = Path.Combine(_dir, ValidatorStateFile.FileName);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ValidatorStateFile.TryLoad(path, kind == "parameters" ? P + 1 : P));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_trailing_byte_with_a_valid_checksum_is_refused_as_trailing()
    {
        var bytes = Sample().Serialize();

        // Rebuild the digest over the file with one extra byte before it.
        var body = bytes[..^32].Append((byte)0).ToArray();
        var forged = body.Concat(Agora.Core.Crypto.Blake2b.Hash256(body)).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => ValidatorStateFile.Deserialize(forged, P, "x.state"));
        Assert.Contains("trailing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_two_file_layout_migrates_and_theta_catches_up_with_ratings_saved_ahead_of_it()
    {
        // An earlier build crashed between its two renames: ratings for window 4, θ (and next window 4) from before it.
        var gauntlet = new ValidatorState { LastWindow = 4 };
        gauntlet.Set(2, MinerRecord.New(new Rating(26, 5)));
        gauntlet.Save(Path.Combine(_dir, ValidatorStateFile.LegacyGauntletFileName));
        float[] theta = [1, 2, 3, 4, 5, 6];
        float[] step = [0, 0, 0, 0, 0, 1];
        var legacy = new byte[8 + (8 * P)];
        BinaryPrimitives.WriteUInt64LittleEndian(legacy, 4);
        Publication.EncodeVector(theta).CopyTo(legacy, 8);
        Publication.EncodeVector(step).CopyTo(legacy, 8 + (4 * P));
        File.WriteAllBytes(Path.Combine(_dir, ValidatorStateFile.LegacyThetaFileName), legacy);

        float[] aggregate4 = [0.5f, 0, 0, 0, 0, -1];
        var asked = new List<ulong>();
        var migrated = ValidatorStateFile.TryLoadLegacy(_dir, P, 0.5f, w =>
        {
            asked.Add(w);
            return w == 4 ? aggregate4 : null;
        })!;
        Assert.Equal([4UL], asked);
        Assert.Equal(5UL, migrated.NextScore);
        Assert.Equal([0.75f, 2, 3, 4, 5, 6.5f], migrated.Theta);
        Assert.Equal([0.25f, 0, 0, 0, 0, -0.5f], migrated.LastStep);
        Assert.Equal(gauntlet.Serialize(), migrated.Gauntlet.Serialize());
        Assert.Empty(migrated.LossHistory);

        // Without that aggregate the mismatch cannot be repaired, and saying so beats double-applying a rating update.
        var e = Assert.Throws<InvalidDataException>(() => ValidatorStateFile.TryLoadLegacy(_dir, P, 1f, _ => null));
        Assert.Contains("ratings for window 4", e.Message, StringComparison.Ordinal);

        // A consistent pair migrates as it is; a wrong-sized θ file is refused.
        gauntlet.LastWindow = 3;
        gauntlet.Save(Path.Combine(_dir, ValidatorStateFile.LegacyGauntletFileName));
        var plain = ValidatorStateFile.TryLoadLegacy(_dir, P, 1f, _ => throw new InvalidOperationException("not needed"))!;
        Assert.Equal(4UL, plain.NextScore);
        Assert.Equal(theta, plain.Theta);
        Assert.Equal(step, plain.LastStep);
        Assert.Throws<InvalidDataException>(() => ValidatorStateFile.TryLoadLegacy(_dir, P + 1, 1f, _ => null));

        ValidatorStateFile.DeleteLegacy(_dir);
        Assert.Null(ValidatorStateFile.TryLoadLegacy(_dir, P, 1f, _ => null));
    }
}
