using System.Numerics;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Conviction locks (spec-ledger.md "Conviction locks"; docs/ledger-rules.md "Conviction and governance").
/// <list type="bullet">
/// <item>A lock lasts at least one interval (216,000 blocks, 30 days at 12 s) and at most four years. Locked
/// alpha cannot be unstaked before the lock's end block; after it the lock weighs nothing.</item>
/// <item>Score s: 1 (Q64) when a lock is made, multiplied by 2^(−1/3) (Q64, floor) at each full interval after
/// the lock's score block, a 90-day half-life. Weight = amount × s.</item>
/// <item>Top-up of a to a live lock of L at score s: the merged score is floor((L·s + a·2^64)/(L + a)) and the
/// score block moves forward by whole intervals only, so a dust top-up restores almost nothing and cannot
/// restart the decay phase.</item>
/// <item>Ownership: each lock accumulates the integral Σ_t amount × s(t) over the blocks t since the last
/// 30-day boundary (updated lazily: on a top-up and at each boundary). At a boundary the hotkey with the largest
/// integral over the interval that ends there wins, so a lock held for a fraction f of the interval counts f of
/// its weight and a lock made just before the boundary counts almost nothing.</item>
/// </list>
/// </summary>
public static class ConvictionRules
{
    public const ulong IntervalBlocks = 216_000;
    public const ulong MinDurationBlocks = IntervalBlocks;
    public const ulong MaxDurationBlocks = 4 * 365 * 7_200;

    /// <summary>floor(2^(−1/3) × 2^64).</summary>
    public static readonly UInt128 DecayPerIntervalQ64 = UInt128.Parse("14641190473997345813", System.Globalization.CultureInfo.InvariantCulture);

    public static ulong LockedAmount(LedgerState s, AccountId coldkey, ushort netuid, AccountId hotkey, ulong height) =>
        s.Locks.TryGetValue((coldkey, netuid, hotkey), out var l) && height < l.EndBlock ? l.Amount : 0;

    /// <summary>A fresh lock: full score from <paramref name="height"/>, nothing accrued yet.</summary>
    public static ConvictionLock Fresh(ulong amount, ulong endBlock, ulong height) => new(amount, endBlock, PoolMath.OneQ64, height, 0, height);

    private static ulong IntervalsSince(ConvictionLock l, ulong height) => (height - Math.Min(height, l.ScoreBlock)) / IntervalBlocks;

    private static UInt128 Decay(UInt128 score, ulong intervals)
    {
        var c = score;
        for (ulong i = 0; i < intervals && c != 0; i++)
        {
            c = Arith.MulDiv(c, DecayPerIntervalQ64, PoolMath.OneQ64);
        }

        return c;
    }

    public static UInt128 ConvictionQ64(ConvictionLock l, ulong height) => height >= l.EndBlock ? 0 : Decay(l.ScoreQ64, IntervalsSince(l, height));

    /// <summary>Conviction-weighted alpha of one lock (floor).</summary>
    public static ulong WeightedAlpha(ConvictionLock l, ulong height) => (ulong)Arith.MulDiv(l.Amount, ConvictionQ64(l, height), PoolMath.OneQ64);

    /// <summary>
    /// Σ_{t=from}^{to−1} WeightedAlpha(l, t), exactly: the weight is constant between decay steps (score block plus
    /// whole intervals) and drops to zero at the end block, so the sum splits into a few constant pieces.
    /// </summary>
    public static UInt128 WeightIntegral(ConvictionLock l, ulong from, ulong to)
    {
        UInt128 sum = 0;
        var t = from;
        while (t < to && t < l.EndBlock)
        {
            var k = IntervalsSince(l, t);
            var nextDecay = (UInt128)Math.Max(t, l.ScoreBlock) - ((ulong)Math.Max(t, l.ScoreBlock) - l.ScoreBlock) % IntervalBlocks + IntervalBlocks;
            var next = (ulong)UInt128.Min(UInt128.Min(to, l.EndBlock), nextDecay);
            var w = Arith.MulDiv(l.Amount, Decay(l.ScoreQ64, k), PoolMath.OneQ64);
            if (w == 0)
            {
                break;
            }

            sum += w * (next - t);
            t = next;
        }

        return sum;
    }

    /// <summary>The lock with its ownership integral brought up to <paramref name="height"/> (exclusive).</summary>
    public static ConvictionLock Accrue(ConvictionLock l, ulong height) =>
        height <= l.AccruedThrough ? l : l with { AccruedWeight = l.AccruedWeight + WeightIntegral(l, l.AccruedThrough, height), AccruedThrough = height };

    /// <summary>
    /// Governance weight of a coldkey in rao: Σ over its live locks of conviction-weighted alpha valued at the
    /// subnet's EMA price, so weights on different subnets are comparable and hard to move with one swap.
    /// </summary>
    public static UInt128 GovernanceWeight(LedgerState s, AccountId coldkey, ulong height) => EligibleWeight(s, coldkey, height, 0);

    /// <summary>
    /// Like <see cref="GovernanceWeight"/>, counting only locks that end at or after <paramref name="lockedUntil"/>:
    /// a vote counts only alpha that stays locked until the vote ends plus the timelock, so the same alpha cannot be
    /// unstaked and voted again from another coldkey while the decision is pending.
    /// </summary>
    public static UInt128 EligibleWeight(LedgerState s, AccountId coldkey, ulong height, ulong lockedUntil)
    {
        UInt128 total = 0;
        foreach (var (key, l) in s.Locks)
        {
            if (key.Coldkey == coldkey && l.EndBlock >= lockedUntil)
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
        if (b.Duration < MinDurationBlocks || b.Duration > MaxDurationBlocks)
        {
            throw new TxRejectedException(TxCode.InvalidDuration, $"Lock duration {b.Duration} blocks is outside [{MinDurationBlocks}, {MaxDurationBlocks}] (one 30-day interval to four years).");
        }

        var h = ctx.Height;
        var key = (coldkey, b.Netuid, b.Hotkey);
        var existing = s.Locks.TryGetValue(key, out var found) ? Accrue(found, h) : null;
        var live = existing is not null && h < existing.EndBlock ? existing : null;
        var amount = checked((live?.Amount ?? 0) + b.Amount);
        if (amount == 0)
        {
            throw new TxRejectedException(TxCode.InvalidAmount, "A lock needs a non-zero amount.");
        }

        var staked = s.StakeOf(b.Hotkey, coldkey, b.Netuid);
        if (staked < amount)
        {
            throw new TxRejectedException(TxCode.InsufficientStake, $"Locking {amount} alpha needs that much staked to {b.Hotkey} on subnet {b.Netuid}; {staked} is staked.");
        }

        ConvictionLock next;
        if (live is null)
        {
            // A new lock (or one after an expired lock): full score from now; the expired lock's integral for the
            // current interval is kept.
            next = Fresh(amount, h + b.Duration, h) with { AccruedWeight = existing?.AccruedWeight ?? 0 };
        }
        else
        {
            // Amount-weighted merge (L·s + a)/(L + a) at the current score, in Q64 (floor). The score block moves
            // by whole intervals, keeping the decay phase.
            var current = ConvictionQ64(live, h);
            var merged = (UInt128)(((BigInteger)live.Amount * (BigInteger)current + (BigInteger)b.Amount * (BigInteger)PoolMath.OneQ64) / amount);
            var scoreBlock = live.ScoreBlock + (IntervalsSince(live, h) * IntervalBlocks);
            next = live with { Amount = amount, EndBlock = Math.Max(live.EndBlock, h + b.Duration), ScoreQ64 = merged, ScoreBlock = scoreBlock };
        }

        s.Locks = s.Locks.SetItem(key, next);
    }

    /// <summary>
    /// At each 30-day boundary: every lock's integral over the interval that ends here is closed (and reset for the
    /// next interval; locks that have ended are dropped). For every subnet older than the minimum age whose locks'
    /// average conviction-weighted amount over the interval is at least 10% of its alpha outstanding, the hotkey with
    /// the largest integral (ties: lower key) becomes owner, and its coldkey receives the owner cut from then on.
    /// </summary>
    public static void ReassignOwnership(LedgerState s, ulong height)
    {
        if (height == 0 || height % IntervalBlocks != 0)
        {
            return;
        }

        var byHotkey = new Dictionary<ushort, SortedDictionary<AccountId, UInt128>>();
        var locks = s.Locks.ToBuilder();
        foreach (var (key, l) in s.Locks)
        {
            var closed = Accrue(l, height);
            if (closed.AccruedWeight != 0)
            {
                if (!byHotkey.TryGetValue(key.Netuid, out var m))
                {
                    byHotkey[key.Netuid] = m = new SortedDictionary<AccountId, UInt128>();
                }

                m[key.Hotkey] = (m.TryGetValue(key.Hotkey, out var x) ? x : 0) + closed.AccruedWeight;
            }

            if (closed.EndBlock <= height)
            {
                locks.Remove(key);
            }
            else
            {
                locks[key] = closed with { AccruedWeight = 0, AccruedThrough = height };
            }
        }

        s.Locks = locks.ToImmutable();
        foreach (var subnet in s.Subnets.Values)
        {
            if (height < subnet.RegisteredBlock + s.Params.OwnershipMinAge || !byHotkey.TryGetValue(subnet.Netuid, out var weights))
            {
                continue;
            }

            UInt128 total = 0;
            foreach (var w in weights.Values)
            {
                total += w;
            }

            // Average over the interval ≥ 10% of outstanding ⇔ integral × 10 ≥ outstanding × interval.
            var outstanding = (UInt128)(subnet.AlphaIssuance - subnet.AlphaReserve);
            if (total == 0 || total * 10 < outstanding * IntervalBlocks)
            {
                continue;
            }

            var top = weights.Aggregate((a, b) => b.Value > a.Value ? b : a).Key;
            if (s.OwnerOf(top) is { } coldkey)
            {
                s.SetSubnet(subnet with { OwnerHotkey = top, OwnerColdkey = coldkey });
            }
        }
    }
}
