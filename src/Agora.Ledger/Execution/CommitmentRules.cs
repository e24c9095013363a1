using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Artifact commitments: a hotkey registered on a subnet publishes a small blob (where its artifact is and its
/// hash). The latest one replaces the previous; the entry goes when the hotkey's UID is replaced or the subnet
/// dissolves. It moves no tokens and touches no emission input.
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

        s.ArtifactCommitments = s.ArtifactCommitments.SetItem((b.Netuid, hotkey), new ArtifactCommitment(b.Data, ctx.Height));
    }
}
