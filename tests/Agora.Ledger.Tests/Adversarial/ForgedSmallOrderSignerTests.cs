using System.Numerics;
using System.Security.Cryptography;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.Adversarial;

/// <summary>
/// The attack seen on a live node: fees went to the block producer, which defaults to the all-zero account, and the
/// all-zero public key is a point of order 4, so anyone could "sign" as that account. The forgery is built the way an
/// attacker would: R = identity, S = 0, and a transaction field varied until [k]A = O, i.e. k = SHA-512(R ‖ A ‖ M)
/// mod L is a multiple of 4 — then the cofactorless equation [S]B = R + [k]A holds with no secret at all.
/// </summary>
[Trait("Category", "Adversarial")]
public class ForgedSmallOrderSignerTests
{
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    /// <summary>A transfer out of the all-zero account with a signature the unchecked verifier accepts.</summary>
    internal static byte[] ForgeFromZeroAccount(string chainId, Hash256 genesisHash, AccountId to, ulong amount, ulong fromHeight)
    {
        byte[] r = [1, .. new byte[31]]; // the identity point (0, 1)
        for (var validUntil = fromHeight + 10; ; validUntil++)
        {
            var tx = new Transaction(AccountId.Zero, 0, new TransferBody(to, amount), 0, validUntil);
            var message = Transaction.SigningMessage(chainId, genesisHash, tx.ToBytes());
            var k = new BigInteger(SHA512.HashData([.. r, .. AccountId.Zero.ToBytes(), .. message]), isUnsigned: true, isBigEndian: false) % L;
            if (k % 4 == 0)
            {
                return new SignedTransaction(tx, [.. r, .. new byte[32]]).ToBytes();
            }
        }
    }

    [Fact]
    public void A_forged_transfer_out_of_the_all_zero_fee_account_is_refused_with_BadSignature()
    {
        var chain = Standard();
        var attacker = Id(Key(9));

        // Fees paid in a block whose producer is the default (all-zero) account.
        var header = chain.NextHeader() with { Producer = AccountId.Zero };
        Assert.True(chain.App.FinalizeBlock(header, [chain.Sign(Key(1), new TransferBody(Id(Key(2)), 1), fee: 5 * Tao)]).Receipts[0].Success);
        chain.App.Commit();

        var before = chain.State.GetAccount(attacker).Balance;
        var forged = ForgeFromZeroAccount(ChainId, chain.App.GenesisHash, attacker, 5 * Tao, chain.App.Height);
        var check = chain.App.CheckTx(forged);
        Assert.Equal(TxCode.BadSignature, check.Code);
        Assert.Contains("small order", check.Message);

        var receipt = chain.Produce(forged).Receipts[0];
        Assert.Equal(TxCode.BadSignature, receipt.Code);
        Assert.Equal(before, chain.State.GetAccount(attacker).Balance);
        Assert.Equal(0UL, chain.State.GetAccount(AccountId.Zero).Nonce);
        AssertConservation(chain.State);
    }

    [Fact]
    public void Fees_are_burned_so_no_account_nobody_holds_accumulates_value()
    {
        var chain = Standard();
        var burned = chain.State.TotalBurned;
        var header = chain.NextHeader() with { Producer = AccountId.Zero };
        Assert.True(chain.App.FinalizeBlock(header, [chain.Sign(Key(1), new TransferBody(Id(Key(2)), 1), fee: 5 * Tao)]).Receipts[0].Success);
        chain.App.Commit();
        Assert.Equal(0UL, chain.State.GetAccount(AccountId.Zero).Balance);
        Assert.Equal(burned + 5 * Tao, chain.State.TotalBurned);
        AssertConservation(chain.State);
    }
}
