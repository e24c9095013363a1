using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.App;

/// <summary>Read-only views over one state (the committed one via <see cref="LedgerApp.Query"/>); results are sorted by key.</summary>
public sealed class LedgerQueries
{
    private readonly LedgerState _s;

    public LedgerQueries(LedgerState state)
    {
        _s = state;
    }

    public ulong Height => _s.Height;

    public ulong TotalIssuance => _s.TotalIssuance;

    public ulong TotalBurned => _s.TotalBurned;

    public GlobalParameters Parameters => _s.Params;

    public AccountInfo GetAccount(AccountId id)
    {
        var a = _s.GetAccount(id);
        var stakes = _s.StakeShares.Keys.Where(k => k.Coldkey == id).Select(k => Stake(k.Hotkey, id, k.Netuid)).ToList();
        return new AccountInfo(id, a.Balance, a.Nonce, stakes);
    }

    public StakeInfo Stake(AccountId hotkey, AccountId coldkey, ushort netuid)
    {
        var alpha = _s.StakeOf(hotkey, coldkey, netuid);
        var subnet = _s.GetSubnet(netuid);
        var value = subnet is null ? 0 : PoolMath.AlphaToTao(alpha, subnet);
        return new StakeInfo(hotkey, coldkey, netuid, alpha, value, ConvictionRules.LockedAmount(_s, coldkey, netuid, hotkey, _s.Height));
    }

    public AccountId? HotkeyOwner(AccountId hotkey) => _s.OwnerOf(hotkey);

    public IReadOnlyList<SubnetInfo> Subnets() => _s.Subnets.Keys.Select(n => GetSubnet(n)!).ToList();

    public SubnetInfo? GetSubnet(ushort netuid)
    {
        var sn = _s.GetSubnet(netuid);
        if (sn is null)
        {
            return null;
        }

        var next = _s.Height + Schedule.BlocksUntilNextEpoch(netuid, sn.Hyper.Tempo, _s.Height);
        return new SubnetInfo(sn.Netuid, sn.OwnerColdkey, sn.OwnerHotkey, sn.RegisteredBlock, sn.FirstEmissionBlock, sn.Hyper, Pool(sn),
            sn.PendingServer, sn.PendingValidator, sn.PendingOwner, sn.Burn, sn.LastEpochBlock, next, sn.NeuronCount);
    }

    public IReadOnlyList<PoolInfo> Pools() => _s.Subnets.Values.Select(Pool).ToList();

    /// <summary>The TAO a create_subnet would lock if included in the next block.</summary>
    public ulong SubnetLockCost() => SubnetRules.LockCost(_s, _s.Height + 1);

    public Metagraph? GetMetagraph(ushort netuid)
    {
        var sn = _s.GetSubnet(netuid);
        if (sn is null)
        {
            return null;
        }

        var list = new List<NeuronInfo>(sn.NeuronCount);
        for (ushort uid = 0; uid < sn.NeuronCount; uid++)
        {
            var n = _s.Neurons[(netuid, uid)];
            list.Add(new NeuronInfo(uid, n.Hotkey, n.Coldkey, _s.HotkeyStake(netuid, n.Hotkey), n.RegisteredBlock, n.LastUpdate,
                Schedule.IsImmune(n, sn.Hyper, _s.Height), n.ValidatorPermit, n.StakeWeight, n.Trust, n.Consensus, n.Incentive,
                n.Dividends, n.Emission, _s.WeightsOf(netuid, uid)));
        }

        return new Metagraph(netuid, _s.Height, list);
    }

    public IReadOnlyList<CommitmentInfo> Commitments(ushort netuid)
    {
        var sn = _s.GetSubnet(netuid);
        if (sn is null)
        {
            return [];
        }

        return _s.Commits.Where(kv => kv.Key.Netuid == netuid)
            .SelectMany(kv => kv.Value.Select(c => new CommitmentInfo(netuid, kv.Key.Hotkey, c.Hash, c.CommitBlock, c.CommitEpoch, c.CommitEpoch + sn.Hyper.RevealPeriodEpochs)))
            .ToList();
    }

    /// <summary>
    /// Artifact commitments (SetCommitment) on a subnet, by hotkey; empty for an unknown subnet. Not to be
    /// confused with <see cref="Commitments"/>, which lists pending weight commits.
    /// </summary>
    public IReadOnlyList<ArtifactCommitmentInfo> ArtifactCommitments(ushort netuid) =>
        _s.ArtifactCommitments.Where(kv => kv.Key.Netuid == netuid)
            .Select(kv => new ArtifactCommitmentInfo(netuid, kv.Key.Hotkey, _s.UidByHotkey[(netuid, kv.Key.Hotkey)], kv.Value.Data, kv.Value.Block))
            .ToList();

    public IReadOnlyList<ProposalInfo> Proposals() => _s.Proposals.Values.Select(p => GetProposal(p.Id)!).ToList();

    public ProposalInfo? GetProposal(ulong id)
    {
        if (!_s.Proposals.TryGetValue(id, out var p))
        {
            return null;
        }

        var votes = _s.Votes.Where(kv => kv.Key.ProposalId == id).Select(kv => (kv.Key.Voter, kv.Value)).ToList();
        return new ProposalInfo(p, votes);
    }

    /// <summary>Conviction-weighted governance weight of a coldkey now (rao at EMA price).</summary>
    public UInt128 GovernanceWeight(AccountId coldkey) => ConvictionRules.GovernanceWeight(_s, coldkey, _s.Height);

    private static PoolInfo Pool(Subnet sn)
    {
        var spot = PoolMath.SpotPriceQ64(sn);
        return new PoolInfo(sn.Netuid, sn.TaoReserve, sn.AlphaReserve, spot, sn.EmaPriceQ64,
            ToRao(spot), ToRao(sn.EmaPriceQ64), sn.AlphaIssuance);
    }

    private static ulong ToRao(UInt128 q64) => (ulong)UInt128.Min(Arith.MulDiv(q64, 1_000_000_000, PoolMath.OneQ64), ulong.MaxValue);
}
