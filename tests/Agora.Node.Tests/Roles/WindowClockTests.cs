using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

public class WindowClockTests
{
    [Fact]
    public void Window_is_height_divided_by_window_length_and_the_deadline_is_a_fixed_offset()
    {
        var clock = new WindowClock(20, 14);
        Assert.Equal(0UL, clock.WindowOf(19));
        Assert.Equal(1UL, clock.WindowOf(20));
        Assert.Equal(54UL, clock.DeadlineBlock(2));
        Assert.True(clock.IsOpen(53));
        Assert.False(clock.IsOpen(54));
    }

    [Fact]
    public void A_deadline_outside_the_window_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowClock(10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowClock(1, 0));
    }

    [Fact]
    public void A_commitment_round_trips_and_a_truncated_one_is_refused()
    {
        var c = new RoleCommitment(RoleKind.Miner, 7, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), [1f, -2.5f], "file:///tmp/x", "payloads/7.bin");
        var bytes = c.Encode();
        var back = RoleCommitment.TryDecode(bytes)!;
        Assert.Equal(c.Window, back.Window);
        Assert.Equal(c.Digest, back.Digest);
        Assert.Equal(c.Sample, back.Sample);
        Assert.Equal(c.Store, back.Store);
        Assert.Equal(c.Key, back.Key);
        Assert.Null(RoleCommitment.TryDecode(bytes.AsSpan(0, bytes.Length - 1)));
    }
}
