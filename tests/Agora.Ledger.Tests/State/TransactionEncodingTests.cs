using Agora.Core.Serialization;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

public class TransactionEncodingTests
{
    private static readonly AccountId A = Id(Key(1));
    private static readonly AccountId B = Id(Key(2));
    private static readonly Hash256 Genesis = Hash256.Of("a genesis"u8.ToArray());

    public static TheoryData<int> KindIndexes() => new(Enumerable.Range(0, AllBodies().Count));

    internal static List<TxBody> AllBodies() =>
    [
        new TransferBody(B, 5),
        CreateSubnetBody.Create(Key(2), A, 1_000, ChainId, default),
        RegisterBody.Create(Key(2), A, 1, 99, ChainId, default),
        new AddStakeBody(B, 1, 10, 1),
        new RemoveStakeBody(B, 1, 10, 1),
        new SetWeightsBody(1, U16(0, 1), U16(10, 20), 7),
        new CommitWeightsBody(1, Hash256.Of([1, 2, 3])),
        new RevealWeightsBody(1, U16(0), U16(65535), [9, 8, 7], 7),
        new SetHyperparameterBody(1, SubnetHyperparameter.Kappa, 30_000),
        new LockBody(1, B, 100, 1_000),
        new ProposeBody(GlobalParameter.MaxSubnets, 64),
        new VoteBody(3, true),
        new SetCommitmentBody(1, [1, 2, 3]),
    ];

    [Fact]
    public void The_test_list_covers_every_transaction_kind()
    {
        Assert.Equal(Enum.GetValues<TxKind>().Order(), AllBodies().Select(b => b.Kind).Order());
    }

    [Theory]
    [MemberData(nameof(KindIndexes))]
    public void Every_kind_round_trips_through_the_signed_wire_format(int index)
    {
        var body = AllBodies()[index];
        var signed = new Transaction(A, 42, body, 3, 77).Sign(Key(1), ChainId, Genesis);
        var bytes = signed.ToBytes();
        var decoded = SignedTransaction.Decode(bytes);
        Assert.Equal(bytes, decoded.ToBytes());
        Assert.Equal(body.Kind, decoded.Tx.Kind);
        Assert.True(decoded.VerifySignature(ChainId, Genesis));
        Assert.False(decoded.VerifySignature(ChainId, Hash256.Of([9])));
        Assert.Equal(77UL, decoded.Tx.ValidUntil);
    }

    [Fact]
    public void Transfer_encoding_has_the_documented_byte_layout()
    {
        var tx = new Transaction(A, 0x0102, new TransferBody(B, 0x0A0B), 0x07, 0x0C0D);
        var bytes = tx.ToBytes();
        Assert.Equal(2, bytes[0]);
        Assert.Equal(A.ToBytes(), bytes[1..33]);
        Assert.Equal(new byte[] { 0x02, 0x01, 0, 0, 0, 0, 0, 0 }, bytes[33..41]);
        Assert.Equal((byte)TxKind.Transfer, bytes[41]);
        Assert.Equal(new byte[] { 40, 0, 0, 0 }, bytes[42..46]);
        Assert.Equal(B.ToBytes(), bytes[46..78]);
        Assert.Equal(new byte[] { 0x0B, 0x0A, 0, 0, 0, 0, 0, 0 }, bytes[78..86]);
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0, 0, 0, 0 }, bytes[86..94]);
        Assert.Equal(new byte[] { 0x0D, 0x0C, 0, 0, 0, 0, 0, 0 }, bytes[94..102]);
        Assert.Equal(102, bytes.Length);
    }

    [Fact]
    public void Decode_rejects_trailing_short_and_unknown_kind_bytes()
    {
        var bytes = new Transaction(A, 0, new TransferBody(B, 1), 0, 10).Sign(Key(1), ChainId, Genesis).ToBytes();
        Assert.Throws<EncodingException>(() => SignedTransaction.Decode([.. bytes, 0]));
        Assert.Throws<EncodingException>(() => SignedTransaction.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        var unknown = (byte[])bytes.Clone();
        unknown[41] = 200;
        Assert.Contains("kind", Assert.Throws<EncodingException>(() => SignedTransaction.Decode(unknown)).Message);
    }

    [Fact]
    public void A_signature_made_for_another_chain_id_is_rejected()
    {
        var chain = Standard();
        var before = chain.Root;
        var foreign = chain.Sign(Key(1), new TransferBody(B, 1), chainId: "other-chain");
        Assert.Equal(TxCode.BadSignature, chain.App.CheckTx(foreign).Code);
        var receipt = chain.Produce(foreign).Receipts[0];
        Assert.Equal(TxCode.BadSignature, receipt.Code);
        Assert.Equal(10_000 * Tao, chain.State.GetAccount(A).Balance);
        Assert.Equal(0UL, chain.State.GetAccount(A).Nonce);
        Assert.NotEqual(before, chain.Root);
    }

    [Fact]
    public void A_mempool_checked_transaction_applies_once_and_a_forged_twin_still_fails_its_signature_check()
    {
        var chain = Standard();
        var valid = chain.Sign(Key(1), new TransferBody(B, 5));
        Assert.Equal(TxCode.Ok, chain.App.CheckTx(valid).Code);
        var forged = (byte[])valid.Clone();
        forged[^1] ^= 0x01;
        var receipts = chain.Produce(valid, forged).Receipts;
        Assert.Equal(TxCode.Ok, receipts[0].Code);
        Assert.Equal(TxCode.BadSignature, receipts[1].Code);
        Assert.Equal(1UL, chain.State.GetAccount(A).Nonce);
    }

    [Fact]
    public void Signing_with_a_key_that_is_not_the_signer_fails()
    {
        Assert.Throws<ArgumentException>(() => new Transaction(A, 0, new TransferBody(B, 1), 0, 10).Sign(Key(2), ChainId, Genesis));
    }

    [Fact]
    public void Result_codes_keep_their_published_numbers()
    {
        var pinned = new Dictionary<TxCode, int>
        {
            [TxCode.Ok] = 0, [TxCode.Malformed] = 1, [TxCode.BadSignature] = 2, [TxCode.NonceStale] = 3, [TxCode.NonceFuture] = 4,
            [TxCode.InsufficientBalance] = 5, [TxCode.FeeTooLow] = 6, [TxCode.InvalidAmount] = 7, [TxCode.Expired] = 8, [TxCode.HotkeyProofInvalid] = 9, [TxCode.UnknownSubnet] = 10,
            [TxCode.UnknownUid] = 11, [TxCode.HotkeyNotRegistered] = 12, [TxCode.HotkeyAlreadyRegistered] = 13, [TxCode.HotkeyOwnedByOther] = 14,
            [TxCode.NotSubnetOwner] = 15, [TxCode.SubnetLimitReached] = 16, [TxCode.LockCostAboveLimit] = 17, [TxCode.BurnAboveLimit] = 18,
            [TxCode.SubnetFull] = 19, [TxCode.InsufficientStake] = 20, [TxCode.StakeLocked] = 21, [TxCode.PoolLimit] = 22,
            [TxCode.SlippageExceeded] = 23, [TxCode.WeightsLengthMismatch] = 30, [TxCode.DuplicateUid] = 31, [TxCode.EmptyWeights] = 32,
            [TxCode.RateLimited] = 33, [TxCode.CommitRevealEnabled] = 34, [TxCode.CommitRevealDisabled] = 35, [TxCode.TooManyCommits] = 36,
            [TxCode.NoMatchingCommit] = 37, [TxCode.RevealTooEarly] = 38, [TxCode.RevealExpired] = 39, [TxCode.ParameterOutOfBounds] = 40,
            [TxCode.HyperparameterRateLimited] = 41, [TxCode.HyperparameterNearEpoch] = 42, [TxCode.InvalidDuration] = 50,
            [TxCode.NoConvictionWeight] = 51, [TxCode.UnknownProposal] = 52, [TxCode.VotingClosed] = 53, [TxCode.TooManyProposals] = 54,
            [TxCode.Overflow] = 60, [TxCode.ExecutionFault] = 61, [TxCode.CommitmentTooLarge] = 70, [TxCode.CommitmentRateLimited] = 71,
        };
        Assert.Equal(Enum.GetValues<TxCode>().Length, pinned.Count);
        foreach (var (code, value) in pinned)
        {
            Assert.Equal(value, (int)code);
        }

        Assert.Equal(Enumerable.Range(1, 13), Enum.GetValues<TxKind>().Select(k => (int)k));
    }
}
