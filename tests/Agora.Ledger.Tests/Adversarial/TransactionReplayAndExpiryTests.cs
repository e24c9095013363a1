using Agora.Core.Serialization;
using Agora.Ledger.App;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Tests.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.Adversarial;

/// <summary>
/// Replay across chains that share a chain id (every devnet is "agora-devnet"): signatures cover the genesis hash.
/// Stale transactions: a transaction carries a valid-until height and cannot be executed after it.
/// </summary>
[Trait("Category", "Adversarial")]
public class TransactionReplayAndExpiryTests
{
    /// <summary>Same chain id, same keys funded, a different genesis (another devnet started at another time).</summary>
    private static TestChain Twin(TestChain chain) => new(chain.Genesis with { GenesisTimestamp = chain.Genesis.GenesisTimestamp + 1 });

    [Fact]
    public void A_transfer_signed_on_one_devnet_is_refused_on_another_with_the_same_chain_id()
    {
        var home = Standard();
        var other = Twin(home);
        Assert.Equal(home.App.ChainId, other.App.ChainId);
        Assert.NotEqual(home.App.GenesisHash, other.App.GenesisHash);

        var tx = home.Sign(Key(1), new TransferBody(Id(Key(9)), 7 * Tao));
        Assert.True(home.Produce(tx).Receipts[0].Success);
        var check = other.App.CheckTx(tx);
        Assert.Equal(TxCode.BadSignature, check.Code);
        Assert.Contains(other.App.GenesisHash.ToHex(), check.Message);
        Assert.Equal(TxCode.BadSignature, other.Produce(tx).Receipts[0].Code);
        Assert.Equal(10_000 * Tao, other.State.GetAccount(Id(Key(9))).Balance);
    }

    [Fact]
    public void A_registration_proof_from_another_devnet_with_the_same_chain_id_is_refused()
    {
        var home = Standard();
        var other = Twin(home);
        var body = RegisterBody.Create(Key(103), Id(Key(3)), 1, 10 * Tao, ChainId, home.App.GenesisHash);
        Assert.True(home.Produce(home.Sign(Key(3), body)).Receipts[0].Success);
        Assert.Equal(TxCode.HotkeyProofInvalid, other.Produce(other.Sign(Key(3), body)).Receipts[0].Code);
    }

    [Fact]
    public void The_genesis_hash_is_the_parent_of_block_1_and_survives_a_snapshot()
    {
        var chain = Standard();
        var genesis = chain.App.GenesisHash;
        Assert.Equal(Genesis.GenesisHash(LedgerApp.FromGenesis(chain.Genesis).State), genesis);
        var first = chain.Produce();
        Assert.Equal(genesis, first.Block.Header.ParentHash);
        chain.Blocks(3);
        Assert.Equal(genesis, LedgerApp.FromSnapshot(chain.App.ExportSnapshot()).GenesisHash);
    }

    [Fact]
    public void A_version_1_transaction_is_refused_as_malformed_with_a_reason()
    {
        var chain = Standard();
        var v2 = new Transaction(Id(Key(1)), 0, new TransferBody(Id(Key(2)), 1), 0, 50).Sign(Key(1), ChainId, chain.App.GenesisHash);

        // The v1 layout: no valid-until, signed over the chain id alone.
        var w = new CanonicalWriter(128);
        w.WriteU8(1).WriteAccount(v2.Tx.Signer).WriteU64(0).WriteU8((byte)TxKind.Transfer).WriteBytes(v2.Tx.Body.ToBytes()).WriteU64(0);
        var encoded = w.ToArray();
        var signature = Key(1).Sign(new CanonicalWriter(64).WriteString(ChainId).WriteFixed(encoded).ToArray());
        var check = chain.App.CheckTx([.. encoded, .. signature]);
        Assert.Equal(TxCode.Malformed, check.Code);
        Assert.Contains("version 1", check.Message);
    }

    [Fact]
    public void A_transaction_past_its_valid_until_is_refused_at_submission()
    {
        var chain = Standard();
        chain.Blocks(5);
        var next = chain.App.Height + 1;
        var stale = chain.Sign(Key(1), new TransferBody(Id(Key(2)), 1), validUntil: next - 1);
        var check = chain.App.CheckTx(stale);
        Assert.Equal(TxCode.Expired, check.Code);
        Assert.Contains($"valid until block {next - 1}", check.Message);
        Assert.True(chain.App.CheckTx(chain.Sign(Key(1), new TransferBody(Id(Key(2)), 1), validUntil: next)).Accepted);
    }

    [Fact]
    public void A_transaction_held_back_until_after_its_valid_until_is_refused_at_execution_and_changes_nothing()
    {
        var chain = Standard();
        var tx = chain.Sign(Key(1), new TransferBody(Id(Key(2)), 3 * Tao), validUntil: chain.App.Height + 2);
        Assert.True(chain.App.CheckTx(tx).Accepted);
        chain.Blocks(2);

        // A producer that sat on it includes it one block too late.
        var receipt = chain.Produce(tx).Receipts[0];
        Assert.Equal(TxCode.Expired, receipt.Code);
        Assert.Equal(0UL, chain.State.GetAccount(Id(Key(1))).Nonce);
        Assert.Equal(10_000 * Tao, chain.State.GetAccount(Id(Key(1))).Balance);
    }

    [Fact]
    public void A_transaction_is_still_valid_in_the_block_at_its_valid_until_height()
    {
        var chain = Standard();
        var tx = chain.Sign(Key(1), new TransferBody(Id(Key(2)), 1), validUntil: chain.App.Height + 3);
        chain.Blocks(2);
        Assert.True(chain.Produce(tx).Receipts[0].Success);
    }
}
