using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Artifact commitments: a hotkey registered on a subnet publishes a small blob (where its artifact is and its
/// hash). The latest one replaces the previous; the entry goes when the hotkey's UID is replaced or the subnet
/// dissolves. It moves no tokens and touches no emission input.
/// Rate limit: a hotkey may change its commitment on a subnet at most once per CommitmentRateLimit blocks
/// (global parameter). Re-posting the bytes already stored is a no-op (the stored block stays, so a restarted
/// miner republishing cannot move its commitment past a deadline) and is always allowed.
/// </summary>
internal static class CommitmentRules
{
    public static void SetCommitment(LedgerState s, AccountId hotkey, SetCommitmentBody b, in BlockContext ctx)
    {
        TxExecutor.RequireSubnet(s, b.Netuid);
        if (s.UidOf(b.Netuid, hotkey) is null)
        {
            throw new TxRejectedException(TxCode.HotkeyNotRegistered, $"Hotkey {hotkey} is not registered on subnet {b.Netuid}; only registered hotkeys can set a commitment.");
        }

        if (b.Data.Length > SetCommitmentBody.MaxDataBytes)
        {
            throw new TxRejectedException(TxCode.CommitmentTooLarge, $"Commitment data is {b.Data.Length} bytes; the limit is {SetCommitmentBody.MaxDataBytes}.");
        }

        if (s.ArtifactCommitments.TryGetValue((b.Netuid, hotkey), out var current))
        {
            if (current.Data.AsSpan().SequenceEqual(b.Data.AsSpan()))
            {
                return;
            }

            var limit = s.Params.CommitmentRateLimit;
            if (ctx.Height < current.Block + limit)
            {
                throw new TxRejectedException(TxCode.CommitmentRateLimited, $"Hotkey {hotkey} changed its commitment on subnet {b.Netuid} at block {current.Block}; the next change is allowed from block {current.Block + limit} (CommitmentRateLimit = {limit} blocks).");
            }
        }

        s.ArtifactCommitments = s.ArtifactCommitments.SetItem((b.Netuid, hotkey), new ArtifactCommitment(b.Data, ctx.Height));
    }
}
