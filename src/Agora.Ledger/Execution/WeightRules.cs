using System.Collections.Immutable;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Weights: direct set (commit-reveal off) or hash commit then reveal in epoch commit_epoch + reveal_period.
/// Both paths share the checks (no duplicate or unknown UIDs, equal lengths) and store the row sorted by UID,
/// max-upscaled, with last_update = now. Commits are rate limited like direct sets; at most 10 pending per hotkey.
/// </summary>
public static class WeightRules
{
    public const int MaxPendingCommits = 10;

    public static void SetWeights(LedgerState s, AccountId hotkey, SetWeightsBody b, in BlockContext ctx)
    {
        var subnet = TxExecutor.RequireSubnet(s, b.Netuid);
        var uid = RequireUid(s, b.Netuid, hotkey);
        if (subnet.Hyper.CommitRevealEnabled)
        {
            throw new TxRejectedException(TxCode.CommitRevealEnabled, $"Subnet {b.Netuid} uses commit-reveal; commit a hash and reveal it instead of setting weights directly.");
        }

        var neuron = s.Neurons[(b.Netuid, uid)];
        CheckRateLimit(subnet, neuron.LastUpdate, neuron.RegisteredBlock, ctx.Height);
        Store(s, subnet, uid, b.Uids, b.Values, ctx.Height);
    }

    public static void Commit(LedgerState s, AccountId hotkey, CommitWeightsBody b, in BlockContext ctx)
    {
        var subnet = TxExecutor.RequireSubnet(s, b.Netuid);
        var uid = RequireUid(s, b.Netuid, hotkey);
        if (!subnet.Hyper.CommitRevealEnabled)
        {
            throw new TxRejectedException(TxCode.CommitRevealDisabled, $"Subnet {b.Netuid} has commit-reveal off; set weights directly.");
        }

        var commits = s.Commits.TryGetValue((b.Netuid, hotkey), out var c) ? c : ImmutableArray<WeightCommit>.Empty;
        var epoch = Schedule.EpochIndex(b.Netuid, subnet.Hyper.Tempo, ctx.Height);
        commits = commits.RemoveAll(x => x.CommitEpoch + subnet.Hyper.RevealPeriodEpochs < epoch);
        var neuron = s.Neurons[(b.Netuid, uid)];
        var lastActivity = commits.Length == 0 ? neuron.LastUpdate : Math.Max(neuron.LastUpdate, commits[^1].CommitBlock);
        CheckRateLimit(subnet, lastActivity, neuron.RegisteredBlock, ctx.Height);
        if (commits.Length >= MaxPendingCommits)
        {
            throw new TxRejectedException(TxCode.TooManyCommits, $"Hotkey already has {commits.Length} unrevealed commits on subnet {b.Netuid}.");
        }

        s.Commits = s.Commits.SetItem((b.Netuid, hotkey), commits.Add(new WeightCommit(b.CommitHash, ctx.Height, epoch)));
    }

    public static void Reveal(LedgerState s, AccountId hotkey, RevealWeightsBody b, in BlockContext ctx)
    {
        var subnet = TxExecutor.RequireSubnet(s, b.Netuid);
        var uid = RequireUid(s, b.Netuid, hotkey);
        if (!subnet.Hyper.CommitRevealEnabled)
        {
            throw new TxRejectedException(TxCode.CommitRevealDisabled, $"Subnet {b.Netuid} has commit-reveal off; set weights directly.");
        }

        var commits = s.Commits.TryGetValue((b.Netuid, hotkey), out var c) ? c : ImmutableArray<WeightCommit>.Empty;
        var hash = WeightCommitHash.Compute(hotkey, b.Netuid, b.Uids, b.Values, b.Salt.AsSpan());
        var index = -1;
        for (var i = 0; i < commits.Length && index < 0; i++)
        {
            index = commits[i].Hash == hash ? i : -1;
        }

        if (index < 0)
        {
            throw new TxRejectedException(TxCode.NoMatchingCommit, "No commit by this hotkey matches BLAKE2b(hotkey ‖ netuid ‖ uids ‖ values ‖ salt).");
        }

        var commit = commits[index];
        var epoch = Schedule.EpochIndex(b.Netuid, subnet.Hyper.Tempo, ctx.Height);
        var revealEpoch = commit.CommitEpoch + subnet.Hyper.RevealPeriodEpochs;
        if (epoch < revealEpoch)
        {
            throw new TxRejectedException(TxCode.RevealTooEarly, $"This commit can be revealed in epoch {revealEpoch}; the subnet is in epoch {epoch}.");
        }

        if (epoch > revealEpoch)
        {
            throw new TxRejectedException(TxCode.RevealExpired, $"This commit expired after epoch {revealEpoch}; the subnet is in epoch {epoch}.");
        }

        Store(s, subnet, uid, b.Uids, b.Values, ctx.Height);
        var remaining = commits.RemoveAt(index);
        s.Commits = remaining.IsEmpty ? s.Commits.Remove((b.Netuid, hotkey)) : s.Commits.SetItem((b.Netuid, hotkey), remaining);
    }

    /// <summary>Drops commits whose reveal epoch has passed (the block step "reveal of due commits").</summary>
    internal static void ExpireCommits(LedgerState s, ulong height)
    {
        foreach (var (key, commits) in s.Commits)
        {
            var subnet = s.GetSubnet(key.Netuid);
            if (subnet is null)
            {
                s.Commits = s.Commits.Remove(key);
                continue;
            }

            var epoch = Schedule.EpochIndex(key.Netuid, subnet.Hyper.Tempo, height);
            var kept = commits.RemoveAll(x => x.CommitEpoch + subnet.Hyper.RevealPeriodEpochs < epoch);
            if (kept.Length != commits.Length)
            {
                s.Commits = kept.IsEmpty ? s.Commits.Remove(key) : s.Commits.SetItem(key, kept);
            }
        }
    }

    private static ushort RequireUid(LedgerState s, ushort netuid, AccountId hotkey) =>
        s.UidOf(netuid, hotkey) ?? throw new TxRejectedException(TxCode.HotkeyNotRegistered, $"Hotkey {hotkey} is not registered on subnet {netuid}.");

    private static void CheckRateLimit(Subnet subnet, ulong lastUpdate, ulong registeredBlock, ulong height)
    {
        // A fresh registration may set weights at once; after that, once per rate-limit window.
        if (lastUpdate != registeredBlock && height < lastUpdate + subnet.Hyper.WeightsRateLimit)
        {
            throw new TxRejectedException(TxCode.RateLimited, $"Weights were set at block {lastUpdate}; the next change is allowed at block {lastUpdate + subnet.Hyper.WeightsRateLimit}.");
        }
    }

    private static void Store(LedgerState s, Subnet subnet, ushort uid, ImmutableArray<ushort> uids, ImmutableArray<ushort> values, ulong height)
    {
        if (uids.Length != values.Length)
        {
            throw new TxRejectedException(TxCode.WeightsLengthMismatch, $"{uids.Length} UIDs but {values.Length} values.");
        }

        if (uids.IsEmpty)
        {
            throw new TxRejectedException(TxCode.EmptyWeights, "A weight vector needs at least one entry.");
        }

        var order = Enumerable.Range(0, uids.Length).OrderBy(i => uids[i]).ToArray();
        for (var k = 0; k < order.Length; k++)
        {
            var u = uids[order[k]];
            if (u >= subnet.NeuronCount)
            {
                throw new TxRejectedException(TxCode.UnknownUid, $"UID {u} does not exist on subnet {subnet.Netuid} ({subnet.NeuronCount} UIDs).");
            }

            if (k > 0 && uids[order[k - 1]] == u)
            {
                throw new TxRejectedException(TxCode.DuplicateUid, $"UID {u} appears more than once.");
            }
        }

        var sortedUids = order.Select(i => uids[i]).ToArray();
        var upscaled = Consensus.WeightScaling.MaxUpscale(order.Select(i => values[i]).ToArray());
        s.Weights = s.Weights.SetItem((subnet.Netuid, uid), SubnetRules.Row(sortedUids, upscaled));
        s.Neurons = s.Neurons.SetItem((subnet.Netuid, uid), s.Neurons[(subnet.Netuid, uid)] with { LastUpdate = height });
    }
}
