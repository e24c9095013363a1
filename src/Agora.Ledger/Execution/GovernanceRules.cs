using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Headless governance (spec-ledger.md "Headless governance"; docs/ledger-rules.md). A coldkey with alpha locked
/// until at least the proposal's voting end plus the timelock may propose a bounded change of one global
/// parameter against a bond of ProposalBond TAO (escrowed; returned at the tally when quorum is reached, burned
/// otherwise), with at most <see cref="MaxOpenProposalsPerProposer"/> open proposals per coldkey and
/// <see cref="MaxOpenProposals"/> in all. Voting lasts GovernanceVotingPeriod blocks. A vote counts only the
/// voter's locks that end at or after voting end + GovernanceTimelock, and is weighed at the tally from the
/// locks then (not when cast): alpha behind a vote stays locked until the decision takes effect, so one bankroll
/// passed through many coldkeys votes once. A proposal passes when yes &gt; no and yes + no ≥ 20% of all
/// conviction weight at the tally block, and takes effect GovernanceTimelock blocks later (re-checked against the
/// bounds). Re-voting replaces.
/// </summary>
public static class GovernanceRules
{
    public const int MaxOpenProposals = 32;
    public const int MaxOpenProposalsPerProposer = 2;
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

        var end = ctx.Height + s.Params.GovernanceVotingPeriod;
        var lockedUntil = end + s.Params.GovernanceTimelock;
        if (ConvictionRules.EligibleWeight(s, coldkey, ctx.Height, lockedUntil) == 0)
        {
            throw new TxRejectedException(TxCode.NoConvictionWeight, $"Proposing needs conviction weight locked until at least block {lockedUntil} (voting end plus timelock): lock staked alpha first.");
        }

        var mine = s.Proposals.Values.Count(p => p.Proposer == coldkey && p.Status is ProposalStatus.Voting or ProposalStatus.Passed);
        if (mine >= MaxOpenProposalsPerProposer)
        {
            throw new TxRejectedException(TxCode.TooManyProposals, $"This coldkey already has {mine} open proposals (the limit is {MaxOpenProposalsPerProposer}); wait for one to close.");
        }

        var open = s.Proposals.Values.Count(p => p.Status is ProposalStatus.Voting or ProposalStatus.Passed);
        if (open >= MaxOpenProposals)
        {
            throw new TxRejectedException(TxCode.TooManyProposals, $"{open} proposals are already open; wait for one to close.");
        }

        var bond = s.Params.ProposalBond;
        TxExecutor.RequireBalance(s, coldkey, bond, "the proposal bond");
        s.Debit(coldkey, bond);
        var id = s.NextProposalId;
        s.Proposals = s.Proposals.SetItem(id, new Proposal(id, coldkey, b.Parameter, b.Value, ctx.Height, end, 0, ProposalStatus.Voting, 0, 0, 0, bond));
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

        var lockedUntil = p.VotingEndBlock + s.Params.GovernanceTimelock;
        var weight = ConvictionRules.EligibleWeight(s, coldkey, ctx.Height, lockedUntil);
        if (weight == 0)
        {
            throw new TxRejectedException(TxCode.NoConvictionWeight, $"Voting on proposal {b.ProposalId} needs conviction weight locked until at least block {lockedUntil} (voting end plus timelock): lock staked alpha first.");
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

    /// <summary>
    /// Re-weighs every vote on <paramref name="p"/> from the voter's locks at the tally block that end at or after
    /// voting end + timelock, stores those weights on the votes and returns the proposal with the new totals.
    /// </summary>
    private static Proposal Tally(LedgerState s, Proposal p, ulong height)
    {
        var lockedUntil = p.VotingEndBlock + s.Params.GovernanceTimelock;
        UInt128 yes = 0;
        UInt128 no = 0;
        var votes = s.Votes;
        foreach (var ((id, voter), v) in s.Votes)
        {
            if (id != p.Id)
            {
                continue;
            }

            var w = ConvictionRules.EligibleWeight(s, voter, height, lockedUntil);
            if (v.Approve)
            {
                yes += w;
            }
            else
            {
                no += w;
            }

            votes = votes.SetItem((id, voter), v with { Weight = w });
        }

        s.Votes = votes;
        return p with { YesWeight = yes, NoWeight = no };
    }

    /// <summary>Block step: tally proposals whose voting ends now and enact passed ones whose timelock has run out.</summary>
    internal static void Advance(LedgerState s, ulong height)
    {
        UInt128? total = null;
        foreach (var p in s.Proposals.Values)
        {
            if (p.Status == ProposalStatus.Voting && height >= p.VotingEndBlock)
            {
                total ??= ConvictionRules.TotalGovernanceWeight(s, height);
                var tallied = Tally(s, p, height);
                var turnout = tallied.YesWeight + tallied.NoWeight;
                var quorum = turnout > 0 && turnout * 100 >= total.Value * QuorumPercent;
                var passed = quorum && tallied.YesWeight > tallied.NoWeight;
                if (quorum)
                {
                    s.Credit(p.Proposer, p.Bond);
                }
                else
                {
                    s.TotalBurned = checked(s.TotalBurned + p.Bond);
                }

                var next = passed
                    ? tallied with { Status = ProposalStatus.Passed, ExecuteBlock = height + s.Params.GovernanceTimelock, TotalWeightAtTally = total.Value }
                    : tallied with { Status = ProposalStatus.Rejected, TotalWeightAtTally = total.Value };
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
