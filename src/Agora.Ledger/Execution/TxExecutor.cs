using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Applies one signature-checked transaction to a state copy. Common rules first (nonce strictly next,
/// not past its valid-until height, fee at least the minimum and affordable; the fee is burned — no account
/// receives it — and the nonce advances), then the
/// kind's rules. Any rule failure throws <see cref="TxRejectedException"/>; the caller discards the copy.
/// </summary>
public static class TxExecutor
{
    public static void Apply(LedgerState s, Transaction tx, in BlockContext ctx)
    {
        if (ctx.Height > tx.ValidUntil)
        {
            throw new TxRejectedException(TxCode.Expired, $"The transaction was valid until block {tx.ValidUntil}; this is block {ctx.Height}. Sign it again.");
        }

        var account = s.GetAccount(tx.Signer);
        if (tx.Nonce < account.Nonce)
        {
            throw new TxRejectedException(TxCode.NonceStale, $"Nonce {tx.Nonce} was already used; the signer's next nonce is {account.Nonce}.");
        }

        if (tx.Nonce > account.Nonce)
        {
            throw new TxRejectedException(TxCode.NonceFuture, $"Nonce {tx.Nonce} is ahead of the signer's next nonce {account.Nonce}; submit the missing ones first.");
        }

        if (tx.Fee < s.Params.MinTxFee)
        {
            throw new TxRejectedException(TxCode.FeeTooLow, $"Fee {tx.Fee} rao is below the minimum {s.Params.MinTxFee} rao.");
        }

        if (account.Balance < tx.Fee)
        {
            throw new TxRejectedException(TxCode.InsufficientBalance, $"Balance {account.Balance} rao cannot pay the fee {tx.Fee} rao.");
        }

        s.SetAccount(tx.Signer, new Account(account.Balance - tx.Fee, account.Nonce + 1));
        s.TotalBurned = checked(s.TotalBurned + tx.Fee);

        switch (tx.Body)
        {
            case TransferBody b:
                Transfer(s, tx, b);
                break;
            case CreateSubnetBody b:
                SubnetRules.CreateSubnet(s, tx.Signer, b, ctx);
                break;
            case RegisterBody b:
                SubnetRules.Register(s, tx.Signer, b, ctx);
                break;
            case AddStakeBody b:
                StakingRules.AddStake(s, tx.Signer, b, ctx);
                break;
            case RemoveStakeBody b:
                StakingRules.RemoveStake(s, tx.Signer, b, ctx);
                break;
            case SetWeightsBody b:
                WeightRules.SetWeights(s, tx.Signer, b, ctx);
                break;
            case CommitWeightsBody b:
                WeightRules.Commit(s, tx.Signer, b, ctx);
                break;
            case RevealWeightsBody b:
                WeightRules.Reveal(s, tx.Signer, b, ctx);
                break;
            case SetHyperparameterBody b:
                SubnetRules.SetHyperparameter(s, tx.Signer, b, ctx);
                break;
            case LockBody b:
                ConvictionRules.Lock(s, tx.Signer, b, ctx);
                break;
            case ProposeBody b:
                GovernanceRules.Propose(s, tx.Signer, b, ctx);
                break;
            case VoteBody b:
                GovernanceRules.CastVote(s, tx.Signer, b, ctx);
                break;
            case SetCommitmentBody b:
                CommitmentRules.SetCommitment(s, tx.Signer, b, ctx);
                break;
            default:
                throw new TxRejectedException(TxCode.Malformed, $"Transaction kind {tx.Kind} has no handler.");
        }
    }

    private static void Transfer(LedgerState s, Transaction tx, TransferBody b)
    {
        if (b.Amount == 0)
        {
            throw new TxRejectedException(TxCode.InvalidAmount, "Transfer amount must be above zero.");
        }

        var from = s.GetAccount(tx.Signer);
        if (from.Balance < b.Amount)
        {
            throw new TxRejectedException(TxCode.InsufficientBalance, $"Balance {from.Balance} rao (after the fee) cannot cover a transfer of {b.Amount} rao.");
        }

        s.Debit(tx.Signer, b.Amount);
        s.Credit(b.To, b.Amount);
    }

    internal static Subnet RequireSubnet(LedgerState s, ushort netuid) =>
        s.GetSubnet(netuid) ?? throw new TxRejectedException(TxCode.UnknownSubnet, $"Subnet {netuid} does not exist.");

    internal static void RequireBalance(LedgerState s, Primitives.AccountId who, ulong amount, string what)
    {
        var balance = s.GetAccount(who).Balance;
        if (balance < amount)
        {
            throw new TxRejectedException(TxCode.InsufficientBalance, $"Balance {balance} rao (after the fee) cannot cover {what} of {amount} rao.");
        }
    }
}
