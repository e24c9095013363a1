using System.Buffers.Binary;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>The miner's state file: version-2 round trip, version-1 files still load, every malformed file is refused by name.</summary>
public sealed class MinerStateTests : IDisposable
{
    private const int P = 5;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-minerstate-" + Guid.NewGuid().ToString("N"));

    public MinerStateTests() => Directory.CreateDirectory(_dir);

    private string StatePath => Path.Combine(_dir, "miner.state");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Version_2_round_trips_every_field()
    {
        var state = Full();
        state.Save(StatePath);
        Assert.Equal(MinerState.Version, File.ReadAllBytes(StatePath)[4]);

        var loaded = MinerState.TryLoad(StatePath, P)!;
        Assert.Equal(state.Theta, loaded.Theta);
        Assert.Equal(state.Error, loaded.Error);
        Assert.Equal(state.FirstMoment, loaded.FirstMoment);
        Assert.Equal(state.SecondMoment, loaded.SecondMoment);
        Assert.Equal(12L, loaded.TrainerStep);
        Assert.Equal(11, loaded.OptimizerStep);
        Assert.Equal(7UL, loaded.NextAggregate);
        Assert.Equal(6UL, loaded.TrainedWindow);
        Assert.Equal(123_456UL, loaded.BytesUploaded);
        Assert.Equal(state.PendingCommitment, loaded.PendingCommitment);
        var repair = loaded.Repair!;
        Assert.Equal(5UL, repair.Window);
        Assert.Equal(state.Repair!.Theta, repair.Theta);
        Assert.Equal([5UL, 6UL], repair.Windows.Select(w => w.Window));
        Assert.Equal([3u, 9u], repair.Windows[0].Payloads.Select(p => p.Uid));
        Assert.Equal(state.Repair.Windows[0].Payloads[1].Digest, repair.Windows[0].Payloads[1].Digest);
        Assert.Empty(repair.Windows[1].Payloads);

        // Saving what was loaded writes the same bytes; a state without pending commitment or repair round-trips too.
        var first = File.ReadAllBytes(StatePath);
        loaded.Save(StatePath);
        Assert.Equal(first, File.ReadAllBytes(StatePath));
        loaded.PendingCommitment = null;
        loaded.Repair = null;
        loaded.TrainedWindow = null;
        loaded.Save(StatePath);
        var bare = MinerState.TryLoad(StatePath, P)!;
        Assert.Null(bare.PendingCommitment);
        Assert.Null(bare.Repair);
        Assert.Null(bare.TrainedWindow);
        Assert.Equal(state.SecondMoment, bare.SecondMoment);
    }

    [Fact]
    public void A_version_1_file_still_loads_with_zero_moments()
    {
        float[] theta = [1f, -2f, 3.5f, 0f, float.Epsilon];
        float[] error = [0.25f, 0f, -1f, 2f, 8f];
        var bytes = new byte[33 + (8 * P)];
        "AGMS"u8.CopyTo(bytes);
        bytes[4] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(5), 9);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(13), 8 + 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(21), 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(29), P);
        Publication.EncodeVector(theta).CopyTo(bytes, 33);
        Publication.EncodeVector(error).CopyTo(bytes, 33 + (4 * P));
        File.WriteAllBytes(StatePath, bytes);

        var loaded = MinerState.TryLoad(StatePath, P)!;
        Assert.Equal(theta, loaded.Theta);
        Assert.Equal(error, loaded.Error);
        Assert.Equal(new float[P], loaded.FirstMoment);
        Assert.Equal(new float[P], loaded.SecondMoment);
        Assert.Equal(0L, loaded.TrainerStep);
        Assert.Equal(0, loaded.OptimizerStep);
        Assert.Equal(9UL, loaded.NextAggregate);
        Assert.Equal(8UL, loaded.TrainedWindow);
        Assert.Equal(4096UL, loaded.BytesUploaded);
        Assert.Null(loaded.PendingCommitment);
        Assert.Null(loaded.Repair);

        // A version-1 file cut short is refused like any other.
        File.WriteAllBytes(StatePath, bytes[..^1]);
        AssertRefused("truncated");
    }

    [Fact]
    public void A_truncated_file_is_refused_naming_the_file()
    {
        Full().Save(StatePath);
        var whole = File.ReadAllBytes(StatePath);
        foreach (var length in new[] { 20, 33, 40, 41 + (4 * P), whole.Length - 40, whole.Length - 1 })
        {
            File.WriteAllBytes(StatePath, whole[..length]);
            AssertRefused("truncated");
            Assert.Equal(length, new FileInfo(StatePath).Length);
        }

        File.WriteAllBytes(StatePath, [.. whole, 0]);
        AssertRefused("trailing");
    }

    [Fact]
    public void Wrong_magic_version_or_parameter_count_is_refused_naming_the_problem()
    {
        Full().Save(StatePath);
        var whole = File.ReadAllBytes(StatePath);

        var magic = (byte[])whole.Clone();
        magic[0] = (byte)'X';
        File.WriteAllBytes(StatePath, magic);
        AssertRefused("magic");

        var version = (byte[])whole.Clone();
        version[4] = 3;
        File.WriteAllBytes(StatePath, version);
        AssertRefused("version 3");

        File.WriteAllBytes(StatePath, whole);
        var e = Assert.Throws<InvalidDataException>(() => MinerState.TryLoad(StatePath, P + 1));
        Assert.Contains(StatePath, e.Message, StringComparison.Ordinal);
        Assert.Contains($"{P} parameters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leftover_temporary_file_from_a_crash_mid_write_does_not_break_loading()
    {
        var state = Full();
        state.Save(StatePath);
        File.WriteAllBytes(StatePath + ".tmp", "AGMS\u0002 half a state"u8.ToArray());
        Assert.Equal(state.Theta, MinerState.TryLoad(StatePath, P)!.Theta);

        // The next save replaces the leftover.
        state.NextAggregate = 8;
        state.Save(StatePath);
        Assert.False(File.Exists(StatePath + ".tmp"));
        Assert.Equal(8UL, MinerState.TryLoad(StatePath, P)!.NextAggregate);

        // A crash during the very first save leaves only the temporary file: no state yet, the miner starts fresh.
        File.Delete(StatePath);
        File.WriteAllBytes(StatePath + ".tmp", [1, 2, 3]);
        Assert.Null(MinerState.TryLoad(StatePath, P));
    }

    private void AssertRefused(string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => MinerState.TryLoad(StatePath, P));
        Assert.Contains(StatePath, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    private static MinerState Full()
    {
        var state = new MinerState([1f, 2f, -3f, 4.5f, 1e-30f], [0.5f, -0.5f, 0f, 1f, 2f], [0.1f, 0.2f, 0.3f, -0.4f, 0.5f], [1e-8f, 2e-8f, 3e-8f, 4e-8f, 5e-8f])
        {
            TrainerStep = 12,
            OptimizerStep = 11,
            NextAggregate = 7,
            TrainedWindow = 6,
            BytesUploaded = 123_456,
            PendingCommitment = [.. Enumerable.Range(0, 300).Select(i => (byte)i)],
            Repair = new MinerRepair(5, [9f, 8f, 7f, 6f, 5f]),
        };
        state.Repair.Windows.Add(new UsedWindow(5, [new UsedPayload(3, new byte[32]), new UsedPayload(9, [.. Enumerable.Repeat((byte)0xAB, 32)])]));
        state.Repair.Windows.Add(new UsedWindow(6, []));
        return state;
    }
}
