namespace Agora.Node.Roles;

/// <summary>
/// Windows follow block height: window w spans blocks [w·W, (w+1)·W); a miner's commitment counts only when it lands
/// in a block at or before <see cref="DeadlineBlock"/> = w·W + D. The devnet default (1 s blocks, W = 20, D = 14) gives
/// a tiny or small miner ~10 s to fetch the last selection and train its inner steps, and the validator the 6 blocks
/// after the deadline plus the next window's first blocks to score and publish before miners need the new θ.
/// </summary>
public sealed record WindowClock
{
    public WindowClock(ulong windowBlocks, ulong deadlineOffset)
    {
        if (windowBlocks < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(windowBlocks), windowBlocks, "A window needs at least 2 blocks.");
        }

        if (deadlineOffset >= windowBlocks)
        {
            throw new ArgumentOutOfRangeException(nameof(deadlineOffset), deadlineOffset, $"The deadline offset must be inside the window (< {windowBlocks} blocks).");
        }

        WindowBlocks = windowBlocks;
        DeadlineOffset = deadlineOffset;
    }

    public static WindowClock Devnet { get; } = new(20, 14);

    public ulong WindowBlocks { get; }

    public ulong DeadlineOffset { get; }

    public ulong WindowOf(ulong height) => height / WindowBlocks;

    public ulong StartBlock(ulong window) => checked(window * WindowBlocks);

    public ulong DeadlineBlock(ulong window) => checked(StartBlock(window) + DeadlineOffset);

    /// <summary>Blocks into the window <paramref name="height"/> lies in.</summary>
    public ulong OffsetOf(ulong height) => height % WindowBlocks;

    /// <summary>True while a commitment sent now can still land in a block at or before the window's deadline.</summary>
    public bool IsOpen(ulong height) => OffsetOf(height) < DeadlineOffset;
}
