using Agora.Ledger.State;

namespace Agora.Ledger.Execution;

/// <summary>
/// The block step that runs before a block's transactions, in the order of spec-ledger.md:
/// registration price decay, block emission, reveal of due commits (expiry of unrevealed ones), coinbase,
/// epochs that are due (ascending netuid), moving-price update. Then two Agora steps that the spec adds
/// elsewhere: governance (tally, enact after timelock) and conviction ownership at 30-day boundaries.
/// </summary>
public static class BlockProcessor
{
    public static void BeginBlock(LedgerState s, in BlockContext ctx)
    {
        var height = ctx.Height;
        s.Height = height;
        s.LastTimestamp = ctx.Timestamp;

        foreach (var sn in s.Subnets.Values)
        {
            s.SetSubnet(sn with { Burn = EconomicsBridge.DecayBurn(sn.Burn, height, sn.Hyper.MinBurn, sn.Hyper.MaxBurn) });
        }

        var blockEmission = EconomicsBridge.BlockEmission(s.TotalIssuance);
        WeightRules.ExpireCommits(s, height);
        Coinbase.Inject(s, height, blockEmission);

        foreach (var netuid in s.Subnets.Keys)
        {
            var sn = s.Subnets[netuid];
            if (Schedule.IsEpochBlock(netuid, sn.Hyper.Tempo, height))
            {
                EpochRunner.Run(s, netuid, height);
            }
        }

        Coinbase.UpdateMovingPrices(s, height);
        GovernanceRules.Advance(s, height);
        ConvictionRules.ReassignOwnership(s, height);
    }
}
