using Agora.Ledger.Primitives;
using Agora.Ledger.Execution;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

public class RejectionTests
{
    private static readonly Agora.Ledger.Primitives.AccountId Bob = Id(Key(2));

    /// <summary>Runs the same block with and without the transaction on twin chains and demands identical roots.</summary>
    private static TxCode RejectAndCompare(Action<TestChain> setup, Func<TestChain, byte[]> tx)
    {
        var with = Standard();
        var without = Standard();
        setup(with);
        setup(without);
        Assert.Equal(with.Root, without.Root);
        var bytes = tx(with);
        var check = with.App.CheckTx(bytes);
        var receipt = with.Produce(bytes).Receipts[0];
        without.Produce();
        Assert.False(receipt.Success);
        Assert.Equal(check.Code, receipt.Code);
        Assert.Equal(without.Root, with.Root);
        return receipt.Code;
    }

    private static void Nothing(TestChain c)
    {
    }

    [Fact]
    public void A_stale_nonce_is_rejected_and_changes_nothing()
    {
        var code = RejectAndCompare(c => c.Submit(Key(1), new TransferBody(Bob, 1)), c => c.Sign(Key(1), new TransferBody(Bob, 1), nonce: 0));
        Assert.Equal(TxCode.NonceStale, code);
    }

    [Fact]
    public void A_future_nonce_is_rejected_and_changes_nothing()
    {
        Assert.Equal(TxCode.NonceFuture, RejectAndCompare(Nothing, c => c.Sign(Key(1), new TransferBody(Bob, 1), nonce: 5)));
    }

    [Fact]
    public void An_overspend_is_rejected_and_changes_nothing()
    {
        Assert.Equal(TxCode.InsufficientBalance, RejectAndCompare(Nothing, c => c.Sign(Key(1), new TransferBody(Bob, 10_000 * Tao + 1))));
    }

    [Fact]
    public void A_fee_that_the_balance_cannot_pay_is_rejected()
    {
        Assert.Equal(TxCode.InsufficientBalance, RejectAndCompare(Nothing, c => c.Sign(Key(1), new TransferBody(Bob, 1), fee: 10_000 * Tao)));
    }

    [Fact]
    public void An_unknown_subnet_is_rejected_and_changes_nothing()
    {
        Assert.Equal(TxCode.UnknownSubnet, RejectAndCompare(Nothing, c => c.Sign(Key(2), Reg(77, Id(Key(102)), Tao))));
        Assert.Equal(TxCode.UnknownSubnet, RejectAndCompare(Nothing, c => c.Sign(Key(2), new AddStakeBody(Id(Key(101)), 77, Tao, 0))));
    }

    [Fact]
    public void An_unknown_uid_in_weights_is_rejected_and_changes_nothing()
    {
        Assert.Equal(TxCode.UnknownUid, RejectAndCompare(Nothing, c => c.Sign(Key(101), new SetWeightsBody(1, U16(0, 9), U16(1, 1), 0))));
    }

    [Fact]
    public void A_failure_late_in_a_transaction_leaves_no_partial_effects()
    {
        // The fee and nonce are applied before the weights check fails; the whole transaction must still vanish.
        Assert.Equal(TxCode.DuplicateUid, RejectAndCompare(
            c => c.Produce(c.Sign(Key(1), new TransferBody(Id(Key(101)), 5 * Tao))),
            c => c.Sign(Key(101), new SetWeightsBody(1, U16(0, 0), U16(1, 1), 0), fee: Tao)));
    }

    [Fact]
    public void Malformed_bytes_get_a_malformed_receipt()
    {
        Assert.Equal(TxCode.Malformed, RejectAndCompare(Nothing, _ => [1, 2, 3]));
    }

    [Fact]
    public void A_rejected_check_tx_does_not_advance_the_mempool_nonce()
    {
        var chain = Standard();
        Assert.False(chain.App.CheckTx(chain.Sign(Key(1), new TransferBody(Bob, 20_000 * Tao))).Accepted);
        Assert.True(chain.App.CheckTx(chain.Sign(Key(1), new TransferBody(Bob, 1))).Accepted);
        Assert.True(chain.App.CheckTx(chain.Sign(Key(1), new TransferBody(Bob, 1), nonce: 1)).Accepted);
        Assert.Equal(TxCode.NonceStale, chain.App.CheckTx(chain.Sign(Key(1), new TransferBody(Bob, 1), nonce: 1)).Code);
    }

    [Fact]
    public void Check_tx_never_touches_the_committed_state()
    {
        var chain = Standard();
        var root = chain.Root;
        Assert.True(chain.App.CheckTx(chain.Sign(Key(1), new TransferBody(Bob, 1))).Accepted);
        Assert.Equal(root, Agora.Ledger.State.StateCodec.Root(chain.State));
        Assert.Equal(10_000 * Tao, chain.State.GetAccount(Id(Key(1))).Balance);
    }

    [Fact]
    public void A_failing_transaction_does_not_stop_the_others_in_its_block()
    {
        var chain = Standard();
        var result = chain.Produce(
            chain.Sign(Key(1), new TransferBody(Bob, 20_000 * Tao)),
            chain.Sign(Key(3), new TransferBody(Bob, 7)));
        Assert.Equal(TxCode.InsufficientBalance, result.Receipts[0].Code);
        Assert.Equal(TxCode.Ok, result.Receipts[1].Code);
        Assert.Equal(10_000 * Tao + 7, chain.State.GetAccount(Bob).Balance);
    }

    [Fact]
    public void A_transfer_moves_funds_burns_the_fee_and_advances_the_nonce()
    {
        var chain = Standard();
        var burned = chain.State.TotalBurned;
        Assert.True(chain.Submit(Key(1), new TransferBody(Bob, 5 * Tao), fee: 3).Success);
        Assert.Equal(10_000 * Tao - 5 * Tao - 3, chain.State.GetAccount(Id(Key(1))).Balance);
        Assert.Equal(1UL, chain.State.GetAccount(Id(Key(1))).Nonce);
        Assert.Equal(10_005 * Tao, chain.State.GetAccount(Bob).Balance);
        Assert.Equal(0UL, chain.State.GetAccount(Id(chain.Producer)).Balance);
        Assert.Equal(0UL, chain.State.GetAccount(AccountId.Zero).Balance);
        Assert.Equal(burned + 3, chain.State.TotalBurned);
    }
}
