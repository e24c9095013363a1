using System.Collections.Immutable;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.State;

// Design note (the ledger state machine)
// ---------------------------------------
// * The whole state is this one object whose maps are ImmutableSortedDictionary values with immutable
//   records inside. Copying the state (Clone) is O(1): it copies references. A transaction runs on a clone
//   and the clone is kept only if every check passed, so a rejected transaction cannot change anything,
//   however far it got. A block is built the same way, so a block is never half applied.
// * Every map is sorted by a total order on its key (AccountId compares bytes lexicographically, tuples
//   compare component-wise), so iteration order, the canonical encoding and the state root are the same on
//   every machine. No float, clock, randomness or threads: amounts are u64 rao, fractions are integer
//   ratios evaluated in 128-bit (or BigInteger) arithmetic with floor rounding, prices are Q64.
// * Conservation (tested): TotalIssuance == Σ balances + Σ pool TAO reserves + TotalBurned + Σ bonds of proposals
//   still voting (escrow), and per subnet
//   AlphaIssuance == alpha reserve + Σ hotkey alpha + pending (server, validator, owner).
//   Locked subnet TAO is the pool's TAO reserve, so it is counted once.
// * Rules live in Execution/ (transactions, block steps); this file only holds data and small accessors.
// * LastBlockHash and GenesisHash are chain bookkeeping, not state: it is excluded from the state root (the block hash
//   commits to the root, so including it would be circular) but included in the snapshot.

/// <summary>The complete ledger state at one height. Treat as immutable outside Agora.Ledger; mutate only a <see cref="Clone"/>.</summary>
public sealed class LedgerState
{
    public string ChainId { get; internal set; } = "agora-devnet";
    public ulong Height { get; internal set; }
    public ulong LastTimestamp { get; internal set; }
    public Hash256 LastBlockHash { get; internal set; }

    /// <summary>The chain's genesis hash (<see cref="App.Genesis.GenesisHash"/>, the parent hash of block 1): signed into every
    /// transaction and registration proof. Chain bookkeeping like <see cref="LastBlockHash"/>: in the snapshot, not the state root.</summary>
    public Hash256 GenesisHash { get; internal set; }
    public ulong TotalIssuance { get; internal set; }
    public ulong TotalBurned { get; internal set; }
    public ulong LastLockCost { get; internal set; }
    public ulong LastLockBlock { get; internal set; }
    public ulong NextProposalId { get; internal set; } = 1;
    public GlobalParameters Params { get; internal set; } = new();

    public ImmutableSortedDictionary<AccountId, Account> Accounts { get; internal set; } = ImmutableSortedDictionary<AccountId, Account>.Empty;

    /// <summary>hotkey → owning coldkey.</summary>
    public ImmutableSortedDictionary<AccountId, AccountId> HotkeyOwners { get; internal set; } = ImmutableSortedDictionary<AccountId, AccountId>.Empty;

    public ImmutableSortedDictionary<ushort, Subnet> Subnets { get; internal set; } = ImmutableSortedDictionary<ushort, Subnet>.Empty;

    public ImmutableSortedDictionary<(ushort Netuid, ushort Uid), Neuron> Neurons { get; internal set; } = ImmutableSortedDictionary<(ushort, ushort), Neuron>.Empty;

    /// <summary>Derived index (netuid, hotkey) → uid; rebuilt from <see cref="Neurons"/> on decode, not hashed.</summary>
    public ImmutableSortedDictionary<(ushort Netuid, AccountId Hotkey), ushort> UidByHotkey { get; internal set; } = ImmutableSortedDictionary<(ushort, AccountId), ushort>.Empty;

    public ImmutableSortedDictionary<(ushort Netuid, AccountId Hotkey), HotkeyAlpha> HotkeyAlpha { get; internal set; } = ImmutableSortedDictionary<(ushort, AccountId), HotkeyAlpha>.Empty;

    /// <summary>(hotkey, coldkey, netuid) → shares of that hotkey's alpha pool on the subnet.</summary>
    public ImmutableSortedDictionary<(AccountId Hotkey, AccountId Coldkey, ushort Netuid), UInt128> StakeShares { get; internal set; } = ImmutableSortedDictionary<(AccountId, AccountId, ushort), UInt128>.Empty;

    /// <summary>(netuid, uid) → stored weight row, UIDs ascending, max-upscaled.</summary>
    public ImmutableSortedDictionary<(ushort Netuid, ushort Uid), ImmutableArray<WeightEntry>> Weights { get; internal set; } = ImmutableSortedDictionary<(ushort, ushort), ImmutableArray<WeightEntry>>.Empty;

    public ImmutableSortedDictionary<(ushort Netuid, ushort Uid), ImmutableArray<WeightEntry>> Bonds { get; internal set; } = ImmutableSortedDictionary<(ushort, ushort), ImmutableArray<WeightEntry>>.Empty;

    public ImmutableSortedDictionary<(ushort Netuid, AccountId Hotkey), ImmutableArray<WeightCommit>> Commits { get; internal set; } = ImmutableSortedDictionary<(ushort, AccountId), ImmutableArray<WeightCommit>>.Empty;

    public ImmutableSortedDictionary<(AccountId Coldkey, ushort Netuid, AccountId Hotkey), ConvictionLock> Locks { get; internal set; } = ImmutableSortedDictionary<(AccountId, ushort, AccountId), ConvictionLock>.Empty;

    public ImmutableSortedDictionary<ulong, Proposal> Proposals { get; internal set; } = ImmutableSortedDictionary<ulong, Proposal>.Empty;

    public ImmutableSortedDictionary<(ulong ProposalId, AccountId Voter), Vote> Votes { get; internal set; } = ImmutableSortedDictionary<(ulong, AccountId), Vote>.Empty;

    /// <summary>(netuid, hotkey) → artifact commitment (SetCommitment); dropped when the hotkey leaves the subnet.</summary>
    public ImmutableSortedDictionary<(ushort Netuid, AccountId Hotkey), ArtifactCommitment> ArtifactCommitments { get; internal set; } = ImmutableSortedDictionary<(ushort, AccountId), ArtifactCommitment>.Empty;

    /// <summary>O(1) copy: all maps are persistent, so the copy shares structure until one side changes.</summary>
    public LedgerState Clone() => (LedgerState)MemberwiseClone();

    public Account GetAccount(AccountId id) => Accounts.TryGetValue(id, out var a) ? a : Account.Empty;

    public Subnet? GetSubnet(ushort netuid) => Subnets.TryGetValue(netuid, out var s) ? s : null;

    public AccountId? OwnerOf(AccountId hotkey) => HotkeyOwners.TryGetValue(hotkey, out var c) ? c : null;

    public ushort? UidOf(ushort netuid, AccountId hotkey) => UidByHotkey.TryGetValue((netuid, hotkey), out var u) ? u : null;

    public ImmutableArray<WeightEntry> WeightsOf(ushort netuid, ushort uid) => Weights.TryGetValue((netuid, uid), out var w) ? w : Rows.Empty;

    public ImmutableArray<WeightEntry> BondsOf(ushort netuid, ushort uid) => Bonds.TryGetValue((netuid, uid), out var b) ? b : Rows.Empty;

    /// <summary>Total alpha staked to <paramref name="hotkey"/> on the subnet (all nominators).</summary>
    public ulong HotkeyStake(ushort netuid, AccountId hotkey) => HotkeyAlpha.TryGetValue((netuid, hotkey), out var h) ? h.Alpha : 0;

    /// <summary>Alpha value of the coldkey's shares in the hotkey's pool (floor).</summary>
    public ulong StakeOf(AccountId hotkey, AccountId coldkey, ushort netuid)
    {
        if (!StakeShares.TryGetValue((hotkey, coldkey, netuid), out var shares) || shares == 0)
        {
            return 0;
        }

        var pool = HotkeyAlpha.TryGetValue((netuid, hotkey), out var h) ? h : new HotkeyAlpha(0, 0);
        return pool.TotalShares == 0 ? 0 : (ulong)Arith.MulDiv(shares, pool.Alpha, pool.TotalShares);
    }

    internal void SetAccount(AccountId id, Account account) =>
        Accounts = account.Balance == 0 && account.Nonce == 0 ? Accounts.Remove(id) : Accounts.SetItem(id, account);

    internal void Credit(AccountId id, ulong amount)
    {
        if (amount == 0)
        {
            return;
        }

        var a = GetAccount(id);
        SetAccount(id, a with { Balance = checked(a.Balance + amount) });
    }

    internal void Debit(AccountId id, ulong amount)
    {
        var a = GetAccount(id);
        if (a.Balance < amount)
        {
            throw new InvalidOperationException("Debit beyond balance; callers check balances first.");
        }

        SetAccount(id, a with { Balance = a.Balance - amount });
    }

    internal void SetSubnet(Subnet subnet) => Subnets = Subnets.SetItem(subnet.Netuid, subnet);

    /// <summary>Adds alpha to a hotkey's pool and mints shares for <paramref name="coldkey"/> at the current share price.</summary>
    internal void AddStake(AccountId hotkey, AccountId coldkey, ushort netuid, ulong alpha)
    {
        if (alpha == 0)
        {
            return;
        }

        var pool = HotkeyAlpha.TryGetValue((netuid, hotkey), out var h) ? h : new HotkeyAlpha(0, 0);
        // An empty pool prices one share at one alpha-rao; otherwise shares keep the pool's current share price.
        UInt128 minted = pool.TotalShares == 0 || pool.Alpha == 0 ? alpha : Arith.MulDiv(alpha, pool.TotalShares, pool.Alpha);
        var key = (hotkey, coldkey, netuid);
        var held = StakeShares.TryGetValue(key, out var s) ? s : 0;
        StakeShares = StakeShares.SetItem(key, held + minted);
        HotkeyAlpha = HotkeyAlpha.SetItem((netuid, hotkey), new HotkeyAlpha(checked(pool.Alpha + alpha), pool.TotalShares + minted));
    }

    /// <summary>Adds alpha to a hotkey's pool without minting shares: every nominator's value grows pro rata.</summary>
    internal void AddToHotkeyPool(AccountId hotkey, ushort netuid, ulong alpha)
    {
        var pool = HotkeyAlpha.TryGetValue((netuid, hotkey), out var h) ? h : new HotkeyAlpha(0, 0);
        if (pool.TotalShares == 0)
        {
            var owner = OwnerOf(hotkey) ?? throw new InvalidOperationException("Hotkey without owner in a payout.");
            AddStake(hotkey, owner, netuid, alpha);
            return;
        }

        HotkeyAlpha = HotkeyAlpha.SetItem((netuid, hotkey), pool with { Alpha = checked(pool.Alpha + alpha) });
    }

    /// <summary>Removes <paramref name="alpha"/> of the coldkey's stake (burning shares, rounded up); the caller checked the value.</summary>
    internal void RemoveStake(AccountId hotkey, AccountId coldkey, ushort netuid, ulong alpha)
    {
        var key = (hotkey, coldkey, netuid);
        var held = StakeShares.TryGetValue(key, out var s) ? s : 0;
        var pool = HotkeyAlpha[(netuid, hotkey)];
        var value = StakeOf(hotkey, coldkey, netuid);
        UInt128 burned = alpha >= value ? held : Arith.MulDivCeil(alpha, pool.TotalShares, pool.Alpha);
        if (burned > held)
        {
            burned = held;
        }

        var remaining = held - burned;
        StakeShares = remaining == 0 ? StakeShares.Remove(key) : StakeShares.SetItem(key, remaining);
        var next = new HotkeyAlpha(pool.Alpha - alpha, pool.TotalShares - burned);
        HotkeyAlpha = next.TotalShares == 0 && next.Alpha == 0 ? HotkeyAlpha.Remove((netuid, hotkey)) : HotkeyAlpha.SetItem((netuid, hotkey), next);
    }
}
