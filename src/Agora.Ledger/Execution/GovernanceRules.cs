using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Headless governance. Any coldkey with conviction weight may propose a bounded change of one global
/// parameter. Voting lasts GovernanceVotingPeriod blocks; at its end a proposal passes when yes &gt; no and
/// yes + no ≥ 20% of all conviction weight at that block, and takes effect GovernanceTimelock blocks later
/// (re-checked against the bounds). Votes weigh the voter's conviction weight when cast; re-voting replaces.
/// </summary>
public static class GovernanceRules
{
    public const int MaxOpenProposals = 32;
    public const int QuorumPercent = 20;

    public static void Propose(LedgerState s, AccountId coldkey, ProposeBody b, in BlockContext ctx)
    {
        var error = GlobalParameters.Check(b.Parameter, b.Value);
        if (error is not null)
        {
            throw new TxRejectedException(TxCode.ParameterOutOfBounds, error);
        }

        error = StateDependentCheck(s, b.Parameter, b.Value);
        if (error is not null)
        {
            throw new TxRejectedException(TxCode.ParameterOutOfBounds, error);
        }

        if (GovernanceWeight(s, coldkey, ctx.Height) == 0)
        {
            throw new TxRejectedException(TxCode.NoConvictionWeight, "Proposing needs conviction weight: lock staked alpha first.");
        }

        var open = s.Proposals.Values.Count(p => p.Status is ProposalStatus.Voting or ProposalStatus.Passed);
        if (open >= MaxOpenProposals)
        {
            throw new TxRejectedException(TxCode.TooManyProposals, $"{open} proposals are already open; wait for one to close.");
        }

        var id = s.NextProposalId;
        var end = ctx.Height + s.Params.GovernanceVotingPeriod;
        s.Proposals = s.Proposals.SetItem(id, new Proposal(id, coldkey, b.Parameter, b.Value, ctx.Height, end, 0, ProposalStatus.Voting, 0, 0, 0));
        s.NextProposalId = id + 1;
    }

    public static void CastVote(LedgerState s, AccountId coldkey, VoteBody b, in BlockContext ctx)
    {
        if (!s.Proposals.TryGetValue(b.ProposalId, out var p))
        {
            throw new TxRejectedException(TxCode.UnknownProposal, $"Proposal {b.ProposalId} does not exist.");
        }

        if (p.Status != ProposalStatus.Voting || ctx.Height >= p.VotingEndBlock)
        {
            throw new TxRejectedException(TxCode.VotingClosed, $"Voting on proposal {b.ProposalId} closed at block {p.VotingEndBlock}.");
        }

        var weight = GovernanceWeight(s, coldkey, ctx.Height);
        if (weight == 0)
        {
            throw new TxRejectedException(TxCode.NoConvictionWeight, "Voting needs conviction weight: lock staked alpha first.");
        }

        var key = (b.ProposalId, coldkey);
        if (s.Votes.TryGetValue(key, out var old))
        {
            p = old.Approve ? p with { YesWeight = p.YesWeight - old.Weight } : p with { NoWeight = p.NoWeight - old.Weight };
        }

        p = b.Approve ? p with { YesWeight = p.YesWeight + weight } : p with { NoWeight = p.NoWeight + weight };
        s.Votes = s.Votes.SetItem(key, new Vote(b.Approve, weight));
        s.Proposals = s.Proposals.SetItem(p.Id, p);
    }

    /// <summary>
    /// Governance may not lower the subnet limit below the subnets that exist: otherwise a vote plus one
    /// create_subnet could dissolve subnets outside the normal competition for slots.
    /// </summary>
    private static string? StateDependentCheck(LedgerState s, GlobalParameter p, ulong value) =>
        p == GlobalParameter.MaxSubnets && value < (ulong)s.Subnets.Count
            ? $"MaxSubnets {value} is below the {s.Subnets.Count} subnets that exist."
            : null;

    private static UInt128 GovernanceWeight(LedgerState s, AccountId coldkey, ulong height) => ConvictionRules.GovernanceWeight(s, coldkey, height);

    /// <summary>Block step: tally proposals whose voting ends now and enact passed ones whose timelock has run out.</summary>
    internal static void Advance(LedgerState s, ulong height)
    {
        UInt128? total = null;
        foreach (var p in s.Proposals.Values)
        {
            if (p.Status == ProposalStatus.Voting && height >= p.VotingEndBlock)
            {
                total ??= ConvictionRules.TotalGovernanceWeight(s, height);
                var turnout = p.YesWeight + p.NoWeight;
                var passed = p.YesWeight > p.NoWeight && turnout * 100 >= total.Value * QuorumPercent && turnout > 0;
                var next = passed
                    ? p with { Status = ProposalStatus.Passed, ExecuteBlock = height + s.Params.GovernanceTimelock, TotalWeightAtTally = total.Value }
                    : p with { Status = ProposalStatus.Rejected, TotalWeightAtTally = total.Value };
                s.Proposals = s.Proposals.SetItem(p.Id, next);
            }
            else if (p.Status == ProposalStatus.Passed && height >= p.ExecuteBlock)
            {
                if (GlobalParameters.Check(p.Parameter, p.Value) is null && StateDependentCheck(s, p.Parameter, p.Value) is null)
                {
                    s.Params = s.Params.With(p.Parameter, p.Value);
                    s.Proposals = s.Proposals.SetItem(p.Id, p with { Status = ProposalStatus.Enacted });
                }
                else
                {
                    s.Proposals = s.Proposals.SetItem(p.Id, p with { Status = ProposalStatus.Rejected });
                }
            }
        }
    }
}
