using System.Collections.Immutable;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>Subnet creation (lock cost, pool seeding, dissolution at the limit), registration (burn, pruning) and owner hyperparameters.</summary>
public static class SubnetRules
{
    public const ushort MaxUids = 256;
    public const ulong InitialBurn = 1_000_000_000;
    public const ulong HyperparameterEpochGuard = 10;

    /// <summary>Sentinel for <see cref="Subnet.LastHyperparamChangeBlock"/>: the owner has not changed anything yet.</summary>
    public const ulong NeverChanged = ulong.MaxValue;

    /// <summary>max(min, 2·last − (last / interval)·(now − last_block)), saturating.</summary>
    public static ulong LockCost(LedgerState s, ulong height)
    {
        var last = s.LastLockCost;
        var interval = Math.Max(1, s.Params.LockReductionInterval);
        var decay = Arith.MulDivU64(last / interval, Arith.SatSub(height, s.LastLockBlock), 1);
        var cost = Arith.SatSub(Arith.SatAdd(last, last), decay);
        return Math.Max(s.Params.MinLockCost, cost);
    }

    public static void CreateSubnet(LedgerState s, AccountId coldkey, CreateSubnetBody b, in BlockContext ctx)
    {
        if (!Core.Crypto.Ed25519.Verify(b.Hotkey.ToBytes(), CreateSubnetBody.ProofMessage(s.ChainId, s.GenesisHash, coldkey, b.Hotkey), b.HotkeyProof.AsSpan()))
        {
            var keyProblem = Core.Crypto.Ed25519.PublicKeyProblem(b.Hotkey.ToBytes());
            throw new TxRejectedException(TxCode.HotkeyProofInvalid, keyProblem is not null
                ? $"Hotkey {b.Hotkey} cannot own a subnet: {keyProblem}."
                : $"The hotkey proof is not a signature by {b.Hotkey} over this subnet creation under coldkey {coldkey} on this chain; only the hotkey's holder can bind it to a coldkey.");
        }

        var owner = s.OwnerOf(b.Hotkey);
        if (owner is { } o && o != coldkey)
        {
            throw new TxRejectedException(TxCode.HotkeyOwnedByOther, $"Hotkey {b.Hotkey} belongs to another coldkey.");
        }

        var cost = LockCost(s, ctx.Height);
        if (cost > b.MaxLockCost)
        {
            throw new TxRejectedException(TxCode.LockCostAboveLimit, $"The subnet lock cost is {cost} rao, above your limit {b.MaxLockCost} rao.");
        }

        TxExecutor.RequireBalance(s, coldkey, cost, "the subnet lock cost");
        if ((ulong)s.Subnets.Count >= s.Params.MaxSubnets)
        {
            var victim = DissolutionCandidate(s, ctx.Height) ?? throw new TxRejectedException(
                TxCode.SubnetLimitReached,
                $"All {s.Subnets.Count} subnet slots are taken and every subnet is still inside its immunity period.");
            Dissolve(s, victim);
        }

        ushort netuid = 1;
        while (s.Subnets.ContainsKey(netuid))
        {
            netuid++;
        }

        // Seed alpha at the median spot price of the existing subnets so a new subnet does not start mispriced.
        var prices = s.Subnets.Values.Select(PoolMath.SpotPriceQ64).Where(p => p > 0).OrderBy(p => p).ToList();
        var median = prices.Count == 0 ? PoolMath.OneQ64 : prices[(prices.Count - 1) / 2];
        var alpha = (ulong)UInt128.Min(Arith.MulDiv(cost, PoolMath.OneQ64, median), ulong.MaxValue);
        var problem = PoolMath.CheckReserves(cost, alpha);
        if (problem is not null)
        {
            throw new TxRejectedException(TxCode.PoolLimit, $"Subnet pool cannot be seeded: {problem}.");
        }

        s.Debit(coldkey, cost);
        s.HotkeyOwners = s.HotkeyOwners.SetItem(b.Hotkey, coldkey);
        s.LastLockCost = cost;
        s.LastLockBlock = ctx.Height;
        var hyper = new SubnetHyperparameters();
        var subnet = new Subnet(
            netuid, coldkey, b.Hotkey, ctx.Height, ctx.Height + 1, hyper, cost, alpha, alpha, 0, 0, 0, 0,
            Math.Clamp(InitialBurn, hyper.MinBurn, hyper.MaxBurn), ctx.Height, NeverChanged, cost, 0);
        s.SetSubnet(subnet);
        PlaceNeuron(s, netuid, b.Hotkey, coldkey, ctx.Height);
    }

    /// <summary>The lowest-EMA-price subnet past its immunity (ties: lower netuid), or null.</summary>
    internal static ushort? DissolutionCandidate(LedgerState s, ulong height)
    {
        ushort? best = null;
        UInt128 bestPrice = 0;
        foreach (var sn in s.Subnets.Values)
        {
            if (height < sn.RegisteredBlock + s.Params.SubnetImmunityBlocks)
            {
                continue;
            }

            if (best is null || sn.EmaPriceQ64 < bestPrice)
            {
                best = sn.Netuid;
                bestPrice = sn.EmaPriceQ64;
            }
        }

        return best;
    }

    /// <summary>
    /// Removes a subnet: its pool's TAO goes to alpha stakers pro rata to their staked alpha (floor), the rest
    /// (rounding, or everything when nobody staked) to the owner; the subnet's alpha ceases to exist.
    /// </summary>
    internal static void Dissolve(LedgerState s, ushort netuid)
    {
        var subnet = s.Subnets[netuid];
        var holders = s.StakeShares.Where(kv => kv.Key.Netuid == netuid).Select(kv => kv.Key).ToList();
        var values = holders.Select(k => s.StakeOf(k.Hotkey, k.Coldkey, netuid)).ToList();
        var total = values.Aggregate(0UL, (a, v) => checked(a + v));
        var paid = 0UL;
        for (var i = 0; i < holders.Count && total > 0; i++)
        {
            var refund = Arith.MulDivU64(subnet.TaoReserve, values[i], total);
            s.Credit(holders[i].Coldkey, refund);
            paid += refund;
        }

        s.Credit(subnet.OwnerColdkey, subnet.TaoReserve - paid);
        s.StakeShares = s.StakeShares.RemoveRange(holders);
        s.HotkeyAlpha = s.HotkeyAlpha.RemoveRange(s.HotkeyAlpha.Keys.Where(k => k.Netuid == netuid).ToList());
        s.Neurons = s.Neurons.RemoveRange(s.Neurons.Keys.Where(k => k.Netuid == netuid).ToList());
        s.UidByHotkey = s.UidByHotkey.RemoveRange(s.UidByHotkey.Keys.Where(k => k.Netuid == netuid).ToList());
        s.Weights = s.Weights.RemoveRange(s.Weights.Keys.Where(k => k.Netuid == netuid).ToList());
        s.Bonds = s.Bonds.RemoveRange(s.Bonds.Keys.Where(k => k.Netuid == netuid).ToList());
        s.Commits = s.Commits.RemoveRange(s.Commits.Keys.Where(k => k.Netuid == netuid).ToList());
        s.ArtifactCommitments = s.ArtifactCommitments.RemoveRange(s.ArtifactCommitments.Keys.Where(k => k.Netuid == netuid).ToList());
        s.Locks = s.Locks.RemoveRange(s.Locks.Keys.Where(k => k.Netuid == netuid).ToList());
        s.Subnets = s.Subnets.Remove(netuid);
    }

    public static void Register(LedgerState s, AccountId coldkey, RegisterBody b, in BlockContext ctx)
    {
        var subnet = TxExecutor.RequireSubnet(s, b.Netuid);
        var proofMessage = RegisterBody.ProofMessage(s.ChainId, s.GenesisHash, coldkey, b.Netuid, b.Hotkey);
        if (!Core.Crypto.Ed25519.Verify(b.Hotkey.ToBytes(), proofMessage, b.HotkeyProof.AsSpan()))
        {
            var problem = Core.Crypto.Ed25519.PublicKeyProblem(b.Hotkey.ToBytes());
            throw new TxRejectedException(TxCode.HotkeyProofInvalid, problem is not null
                ? $"Hotkey {b.Hotkey} cannot register: {problem}."
                : $"The hotkey proof is not a signature by {b.Hotkey} over the registration of that hotkey under coldkey {coldkey} on subnet {b.Netuid} of this chain; only the hotkey's holder can register it.");
        }

        var owner = s.OwnerOf(b.Hotkey);
        if (owner is { } o && o != coldkey)
        {
            throw new TxRejectedException(TxCode.HotkeyOwnedByOther, $"Hotkey {b.Hotkey} belongs to another coldkey.");
        }

        if (s.UidOf(b.Netuid, b.Hotkey) is { } existing)
        {
            throw new TxRejectedException(TxCode.HotkeyAlreadyRegistered, $"Hotkey {b.Hotkey} already holds UID {existing} on subnet {b.Netuid}.");
        }

        var burn = subnet.Burn;
        if (burn > b.MaxBurn)
        {
            throw new TxRejectedException(TxCode.BurnAboveLimit, $"The registration price is {burn} rao, above your limit {b.MaxBurn} rao.");
        }

        TxExecutor.RequireBalance(s, coldkey, burn, "the registration burn");
        s.Debit(coldkey, burn);
        s.TotalBurned = checked(s.TotalBurned + burn);
        s.HotkeyOwners = s.HotkeyOwners.SetItem(b.Hotkey, coldkey);
        PlaceNeuron(s, b.Netuid, b.Hotkey, coldkey, ctx.Height);
        subnet = s.Subnets[b.Netuid];
        s.SetSubnet(subnet with { Burn = EconomicsBridge.BumpBurn(subnet.Burn, subnet.Hyper.MinBurn, subnet.Hyper.MaxBurn) });
    }

    /// <summary>Appends a UID, or when full replaces the prune candidate (its weights, bonds and commits go with it).</summary>
    private static void PlaceNeuron(LedgerState s, ushort netuid, AccountId hotkey, AccountId coldkey, ulong height)
    {
        var subnet = s.Subnets[netuid];
        var capacity = Math.Min(subnet.Hyper.MaxAllowedUids, MaxUids);
        ushort uid;
        if (subnet.NeuronCount < capacity)
        {
            uid = subnet.NeuronCount;
            s.SetSubnet(subnet with { NeuronCount = (ushort)(subnet.NeuronCount + 1) });
        }
        else
        {
            uid = PruneCandidate(s, subnet, height) ?? throw new TxRejectedException(
                TxCode.SubnetFull, $"Subnet {netuid} is full and every neuron is immune or the owner's; try again later.");
            var old = s.Neurons[(netuid, uid)];
            s.UidByHotkey = s.UidByHotkey.Remove((netuid, old.Hotkey));
            s.Commits = s.Commits.Remove((netuid, old.Hotkey));
            s.ArtifactCommitments = s.ArtifactCommitments.Remove((netuid, old.Hotkey));
        }

        s.Weights = s.Weights.Remove((netuid, uid));
        s.Bonds = s.Bonds.Remove((netuid, uid));
        s.Neurons = s.Neurons.SetItem((netuid, uid), new Neuron(hotkey, coldkey, height, height, false, 0, 0, 0, 0, 0, 0, 0));
        s.UidByHotkey = s.UidByHotkey.SetItem((netuid, hotkey), uid);
    }

    /// <summary>Lowest last-epoch emission among non-immune neurons other than the owner's hotkey; ties: earlier registration, then lower UID.</summary>
    internal static ushort? PruneCandidate(LedgerState s, Subnet subnet, ulong height)
    {
        ushort? best = null;
        Neuron? bestNeuron = null;
        for (ushort uid = 0; uid < subnet.NeuronCount; uid++)
        {
            var n = s.Neurons[(subnet.Netuid, uid)];
            if (Schedule.IsImmune(n, subnet.Hyper, height) || n.Hotkey == subnet.OwnerHotkey)
            {
                continue;
            }

            if (bestNeuron is null || n.Emission < bestNeuron.Emission ||
                (n.Emission == bestNeuron.Emission && n.RegisteredBlock < bestNeuron.RegisteredBlock))
            {
                best = uid;
                bestNeuron = n;
            }
        }

        return best;
    }

    public static void SetHyperparameter(LedgerState s, AccountId coldkey, SetHyperparameterBody b, in BlockContext ctx)
    {
        var subnet = TxExecutor.RequireSubnet(s, b.Netuid);
        if (subnet.OwnerColdkey != coldkey)
        {
            throw new TxRejectedException(TxCode.NotSubnetOwner, $"Only the owner of subnet {b.Netuid} may change its hyperparameters.");
        }

        var error = SubnetHyperparameterBounds.Check(b.Parameter, b.Value);
        if (error is not null)
        {
            throw new TxRejectedException(TxCode.ParameterOutOfBounds, error);
        }

        if (b.Parameter == SubnetHyperparameter.MaxAllowedUids && b.Value < subnet.NeuronCount)
        {
            throw new TxRejectedException(TxCode.ParameterOutOfBounds, $"MaxAllowedUids {b.Value} is below the {subnet.NeuronCount} UIDs in use.");
        }

        var next = subnet.Hyper.With(b.Parameter, b.Value);
        error = SubnetHyperparameterBounds.CheckConsistent(next);
        if (error is not null)
        {
            throw new TxRejectedException(TxCode.ParameterOutOfBounds, error);
        }

        if (subnet.LastHyperparamChangeBlock != NeverChanged && ctx.Height < subnet.LastHyperparamChangeBlock + subnet.Hyper.Tempo)
        {
            throw new TxRejectedException(TxCode.HyperparameterRateLimited, $"Hyperparameters change at most once per tempo; next allowed at block {subnet.LastHyperparamChangeBlock + subnet.Hyper.Tempo}.");
        }

        var until = Schedule.BlocksUntilNextEpoch(b.Netuid, subnet.Hyper.Tempo, ctx.Height);
        if (until <= HyperparameterEpochGuard)
        {
            throw new TxRejectedException(TxCode.HyperparameterNearEpoch, $"The epoch is {until} block(s) away; hyperparameters cannot change in the {HyperparameterEpochGuard} blocks before an epoch.");
        }

        s.SetSubnet(subnet with { Hyper = next, LastHyperparamChangeBlock = ctx.Height });
    }

    internal static ImmutableArray<WeightEntry> Row(IReadOnlyList<ushort> uids, IReadOnlyList<ushort> values)
    {
        var b = ImmutableArray.CreateBuilder<WeightEntry>(uids.Count);
        for (var i = 0; i < uids.Count; i++)
        {
            b.Add(new WeightEntry(uids[i], values[i]));
        }

        return b.MoveToImmutable();
    }
}
