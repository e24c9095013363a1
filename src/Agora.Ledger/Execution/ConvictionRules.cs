using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Conviction locks. Conviction starts at 1 on a lock or top-up and is multiplied by 2^(−1/3) (Q64, floor)
/// for each full 30-day interval (216,000 blocks) since, a 90-day half-life. Weight = amount × conviction.
/// Locked alpha cannot be unstaked before the lock's end block; after it the lock weighs nothing.
/// </summary>
public static class ConvictionRules
{
    public const ulong IntervalBlocks = 216_000;
    public const ulong MaxDurationBlocks = 4 * 365 * 7_200;

    /// <summary>floor(2^(−1/3) × 2^64).</summary>
    public static readonly UInt128 DecayPerIntervalQ64 = UInt128.Parse("14641190473997345813", System.Globalization.CultureInfo.InvariantCulture);

    public static ulong LockedAmount(LedgerState s, AccountId coldkey, ushort netuid, AccountId hotkey, ulong height) =>
        s.Locks.TryGetValue((coldkey, netuid, hotkey), out var l) && height < l.EndBlock ? l.Amount : 0;

    public static UInt128 ConvictionQ64(ConvictionLock l, ulong height)
    {
        if (height >= l.EndBlock)
        {
            return 0;
        }

        var intervals = (height - Math.Min(height, l.ConvictionStartBlock)) / IntervalBlocks;
        var c = PoolMath.OneQ64;
        for (ulong i = 0; i < intervals && c != 0; i++)
        {
            c = Arith.MulDiv(c, DecayPerIntervalQ64, PoolMath.OneQ64);
        }

        return c;
    }

    /// <summary>Conviction-weighted alpha of one lock (floor).</summary>
    public static ulong WeightedAlpha(ConvictionLock l, ulong height) => (ulong)Arith.MulDiv(l.Amount, ConvictionQ64(l, height), PoolMath.OneQ64);

    /// <summary>
    /// Governance weight of a coldkey in rao: Σ over its live locks of conviction-weighted alpha valued at the
    /// subnet's EMA price, so weights on different subnets are comparable and hard to move with one swap.
    /// </summary>
    public static UInt128 GovernanceWeight(LedgerState s, AccountId coldkey, ulong height)
    {
        UInt128 total = 0;
        foreach (var (key, l) in s.Locks)
        {
            if (key.Coldkey == coldkey)
            {
                total += LockValue(s, key.Netuid, l, height);
            }
        }

        return total;
    }

    public static UInt128 TotalGovernanceWeight(LedgerState s, ulong height)
    {
        UInt128 total = 0;
        foreach (var (key, l) in s.Locks)
        {
            total += LockValue(s, key.Netuid, l, height);
        }

        return total;
    }

    private static UInt128 LockValue(LedgerState s, ushort netuid, ConvictionLock l, ulong height)
    {
        var subnet = s.GetSubnet(netuid);
        return subnet is null ? 0 : Arith.MulDiv(WeightedAlpha(l, height), subnet.EmaPriceQ64, PoolMath.OneQ64);
    }

    public static void Lock(LedgerState s, AccountId coldkey, LockBody b, in BlockContext ctx)
    {
        TxExecutor.RequireSubnet(s, b.Netuid);
        if (b.Duration == 0 || b.Duration > MaxDurationBlocks)
        {
            throw new TxRejectedException(TxCode.InvalidDuration, $"Lock duration {b.Duration} blocks is outside [1, {MaxDurationBlocks}].");
        }

        var key = (coldkey, b.Netuid, b.Hotkey);
        var current = s.Locks.TryGetValue(key, out var l) && ctx.Height < l.EndBlock ? l : null;
        var amount = checked((current?.Amount ?? 0) + b.Amount);
        if (amount == 0)
        {
            throw new TxRejectedException(TxCode.InvalidAmount, "A lock needs a non-zero amount.");
        }

        var staked = s.StakeOf(b.Hotkey, coldkey, b.Netuid);
        if (staked < amount)
        {
            throw new TxRejectedException(TxCode.InsufficientStake, $"Locking {amount} alpha needs that much staked to {b.Hotkey} on subnet {b.Netuid}; {staked} is staked.");
        }

        var end = Math.Max(current?.EndBlock ?? 0, ctx.Height + b.Duration);
        s.Locks = s.Locks.SetItem(key, new ConvictionLock(amount, end, ctx.Height));
    }

    /// <summary>
    /// At each 30-day boundary: for every subnet older than the minimum age whose conviction-weighted locks sum
    /// to at least 10% of its alpha outstanding, the hotkey with the largest conviction-weighted lock (ties:
    /// lower key) becomes owner, and its coldkey receives the owner cut from then on.
    /// </summary>
    public static void ReassignOwnership(LedgerState s, ulong height)
    {
        if (height == 0 || height % IntervalBlocks != 0)
        {
            return;
        }

        foreach (var subnet in s.Subnets.Values)
        {
            if (height < subnet.RegisteredBlock + s.Params.OwnershipMinAge)
            {
                continue;
            }

            var byHotkey = new SortedDictionary<AccountId, UInt128>();
            UInt128 total = 0;
            foreach (var (key, l) in s.Locks)
            {
                if (key.Netuid != subnet.Netuid)
                {
                    continue;
                }

                var w = WeightedAlpha(l, height);
                total += w;
                byHotkey[key.Hotkey] = (byHotkey.TryGetValue(key.Hotkey, out var x) ? x : 0) + w;
            }

            var outstanding = subnet.AlphaIssuance - subnet.AlphaReserve;
            if (total == 0 || total * 10 < outstanding)
            {
                continue;
            }

            var top = byHotkey.Aggregate((a, b) => b.Value > a.Value ? b : a).Key;
            if (s.OwnerOf(top) is { } coldkey)
            {
                s.SetSubnet(subnet with { OwnerHotkey = top, OwnerColdkey = coldkey });
            }
        }
    }
}
