using Agora.Gauntlet.OpenSkill;
using Agora.Gauntlet.State;

namespace Agora.Gauntlet.Tests.Scoring;

public sealed class ValidatorStateTests
{
    private static readonly string Hotkey9 = Convert.ToHexStringLower(TestPayloads.Key(9).PublicKey);

    private static ValidatorState Sample()
    {
        var state = new ValidatorState { LastWindow = 41 };
        state.Set(9, new MinerRecord { Rating = new Rating(27.5, 6.25), Bma = 0.125, ConsecutiveMisses = 2, LastEvaluatedWindow = 40, Sync = 0.5, Hotkey = Hotkey9 });
        state.Set(3, MinerRecord.New(new Rating(25, 25.0 / 3)));
        return state;
    }

    [Fact]
    public void State_round_trips_through_its_file_format()
    {
        ValidatorState state = Sample();
        ValidatorState copy = ValidatorState.Deserialize(state.Serialize());
        Assert.Equal(41ul, copy.LastWindow);
        Assert.Equal(state.Miners.Keys, copy.Miners.Keys);
        Assert.Equal(state.Miners[9], copy.Miners[9]);
        Assert.Equal(state.Miners[3], copy.Miners[3]);
    }

    [Fact]
    public void Saving_and_loading_a_file_restores_the_state()
    {
        string path = Path.Combine(Path.GetTempPath(), $"agora-state-{Guid.NewGuid():N}.bin");
        try
        {
            Sample().Save(path);
            Assert.Equal(Sample().Miners[9], ValidatorState.Load(path).Miners[9]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_file_starts_with_magic_and_version_and_lists_uids_in_order()
    {
        byte[] bytes = Sample().Serialize();
        Assert.Equal("AGVS"u8.ToArray(), bytes[..4]);
        Assert.Equal(ValidatorState.FormatVersion, BitConverter.ToUInt16(bytes, 4));
        Assert.Equal(42ul, BitConverter.ToUInt64(bytes, 8));
        Assert.Equal(2u, BitConverter.ToUInt32(bytes, 16));
        Assert.Equal(3u, BitConverter.ToUInt32(bytes, 20));
        Assert.Equal(20 + (2 * 80), bytes.Length);
        Assert.Equal(new byte[32], bytes[(20 + 48)..(20 + 80)]);
        Assert.Equal(TestPayloads.Key(9).PublicKey, bytes[(20 + 80 + 48)..]);
    }

    [Fact]
    public void A_version_1_file_without_hotkeys_still_loads_and_is_saved_as_version_2()
    {
        // Version 1 is version 2 less the 32-byte hotkey at the end of each record.
        byte[] v2 = Sample().Serialize();
        byte[] v1 = [.. v2[..20], .. v2[20..68], .. v2[100..148]];
        v1[4] = 1;

        ValidatorState loaded = ValidatorState.Deserialize(v1);
        Assert.Equal(41ul, loaded.LastWindow);
        Assert.Equal(Sample().Miners[9] with { Hotkey = null }, loaded.Miners[9]);
        Assert.Null(loaded.Miners[3].Hotkey);
        Assert.Equal(ValidatorState.FormatVersion, BitConverter.ToUInt16(loaded.Serialize(), 4));
        Assert.Contains("bytes", Assert.Throws<FormatException>(() => ValidatorState.Deserialize(v1.AsSpan(0, v1.Length - 1))).Message);
    }

    [Fact]
    public void A_record_with_a_malformed_hotkey_is_refused_and_the_state_keeps_what_it_had()
    {
        ValidatorState state = Sample();
        foreach (string bad in new[] { "ab", Hotkey9.ToUpperInvariant(), new string('0', 64), Hotkey9[..62] + "zz" })
        {
            Assert.Contains("hotkey", Assert.Throws<ArgumentException>(() => state.Set(9, MinerRecord.New(new Rating(1, 1)) with { Hotkey = bad })).Message);
        }

        Assert.Equal(Sample().Miners[9], state.Miners[9]);
    }

    [Fact]
    public void A_state_without_a_window_round_trips_as_none()
    {
        Assert.Null(ValidatorState.Deserialize(new ValidatorState().Serialize()).LastWindow);
    }

    [Fact]
    public void Corrupt_files_are_rejected_with_the_reason()
    {
        byte[] good = Sample().Serialize();
        byte[] magic = (byte[])good.Clone();
        magic[0] = (byte)'X';
        Assert.Contains("AGVS", Assert.Throws<FormatException>(() => ValidatorState.Deserialize(magic)).Message);

        byte[] version = (byte[])good.Clone();
        version[4] = 9;
        Assert.Contains("version 9", Assert.Throws<FormatException>(() => ValidatorState.Deserialize(version)).Message);

        Assert.Contains("bytes", Assert.Throws<FormatException>(() => ValidatorState.Deserialize(good.AsSpan(0, good.Length - 1))).Message);

        byte[] sigma = (byte[])good.Clone();
        BitConverter.GetBytes(-1.0).CopyTo(sigma, 20 + 12);
        Assert.Contains("out-of-range", Assert.Throws<FormatException>(() => ValidatorState.Deserialize(sigma)).Message);
    }
}
