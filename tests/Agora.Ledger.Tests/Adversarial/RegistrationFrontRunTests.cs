using System.Collections.Immutable;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.Adversarial;

/// <summary>
/// Hotkey squatting / front-running: an attacker who sees a miner's hotkey (on chain, in the mempool, in its
/// publications) registers it under the attacker's own coldkey first, so the hotkey's emission lands on stake the
/// attacker owns. Registration now needs the hotkey's signature over (chain, genesis, coldkey, netuid, hotkey).
/// </summary>
[Trait("Category", "Adversarial")]
public class RegistrationFrontRunTests
{
    private static readonly Ed25519KeyPairRef Victim = new(Key(3), Key(103));
    private static readonly Ed25519KeyPairRef Attacker = new(Key(6), Key(106));

    private sealed record Ed25519KeyPairRef(Core.Crypto.Ed25519KeyPair Cold, Core.Crypto.Ed25519KeyPair Hot);

    [Fact]
    public void Registering_a_victims_hotkey_with_a_proof_signed_by_the_attacker_is_refused()
    {
        var chain = Standard();
        var victimHot = Id(Victim.Hot);

        // The attacker signs the proof message with its own key: the only key it holds.
        var message = RegisterBody.ProofMessage(ChainId, chain.App.GenesisHash, Id(Attacker.Cold), 1, victimHot);
        var body = new RegisterBody(1, victimHot, 10 * Tao, [.. Attacker.Cold.Sign(message)]);
        var receipt = chain.Produce(chain.Sign(Attacker.Cold, body)).Receipts[0];
        Assert.Equal(TxCode.HotkeyProofInvalid, receipt.Code);
        Assert.Null(chain.State.UidOf(1, victimHot));
        Assert.Null(chain.State.OwnerOf(victimHot));

        // Any 64 bytes fail the same way.
        var garbage = new RegisterBody(1, victimHot, 10 * Tao, [.. Enumerable.Range(0, 64).Select(i => (byte)i)]);
        Assert.Equal(TxCode.HotkeyProofInvalid, chain.App.CheckTx(chain.Sign(Attacker.Cold, garbage)).Code);
    }

    [Fact]
    public void A_victims_registration_copied_from_the_mempool_under_the_attackers_coldkey_is_refused_and_the_victim_still_registers()
    {
        var chain = Standard();
        var victimBody = RegisterBody.Create(Victim.Hot, Id(Victim.Cold), 1, 10 * Tao, ChainId, chain.App.GenesisHash);
        var victimTx = chain.Sign(Victim.Cold, victimBody);

        // The front-runner copies the body (hotkey and its proof) into its own transaction, ahead of the victim's.
        var frontRun = chain.Sign(Attacker.Cold, victimBody);
        var receipts = chain.Produce(frontRun, victimTx).Receipts;
        Assert.Equal(TxCode.HotkeyProofInvalid, receipts[0].Code);
        Assert.Contains("only the hotkey's holder can register it", receipts[0].Message);
        Assert.True(receipts[1].Success, receipts[1].Message);
        Assert.Equal(Id(Victim.Cold), chain.State.OwnerOf(Id(Victim.Hot)));
    }

    [Fact]
    public void A_proof_for_another_subnet_or_another_chain_does_not_register()
    {
        var chain = Standard(subnets: 2);
        var otherNet = RegisterBody.Create(Victim.Hot, Id(Victim.Cold), 2, 10 * Tao, ChainId, chain.App.GenesisHash) with { Netuid = 1 };
        Assert.Equal(TxCode.HotkeyProofInvalid, chain.App.CheckTx(chain.Sign(Victim.Cold, otherNet)).Code);
        var otherChain = RegisterBody.Create(Victim.Hot, Id(Victim.Cold), 1, 10 * Tao, ChainId, Hash256.Of([1, 2, 3]));
        Assert.Equal(TxCode.HotkeyProofInvalid, chain.App.CheckTx(chain.Sign(Victim.Cold, otherChain)).Code);
    }

    [Fact]
    public void A_front_run_registration_earns_the_front_runner_nothing()
    {
        var chain = Standard(h => h with { Tempo = 20 });
        var victimHot = Id(Victim.Hot);
        var validatorHot = Id(Key(105));
        var attackerBalance = chain.State.GetAccount(Id(Attacker.Cold)).Balance;

        var victimBody = RegisterBody.Create(Victim.Hot, Id(Victim.Cold), 1, 10 * Tao, ChainId, chain.App.GenesisHash);
        var forgedProof = new RegisterBody(1, victimHot, 10 * Tao, [.. Attacker.Cold.Sign(RegisterBody.ProofMessage(ChainId, chain.App.GenesisHash, Id(Attacker.Cold), 1, victimHot))]);
        var receipts = chain.Produce(
            chain.Sign(Attacker.Cold, victimBody),
            chain.Sign(Attacker.Cold, forgedProof, nonce: 0),
            chain.Sign(Victim.Cold, victimBody),
            chain.Sign(Key(5), Reg(1, validatorHot, 10 * Tao))).Receipts;
        Assert.Equal(TxCode.HotkeyProofInvalid, receipts[0].Code);
        Assert.Equal(TxCode.HotkeyProofInvalid, receipts[1].Code);
        Assert.True(receipts[2].Success, receipts[2].Message);
        Assert.True(receipts[3].Success, receipts[3].Message);

        chain.Produce(chain.Sign(Key(5), new AddStakeBody(validatorHot, 1, 100 * Tao, 0)));
        chain.Blocks(25);
        var uid = chain.State.UidOf(1, victimHot)!.Value;
        Assert.True(chain.Submit(Key(105), new SetWeightsBody(1, U16(uid), U16(65_535), 0)).Success);
        chain.Blocks((int)Schedule.BlocksUntilNextEpoch(1, 20, chain.State.Height) + 1);

        // The victim's hotkey earned, and all of it is stake owned by the victim's coldkey.
        Assert.True(chain.State.Neurons[(1, uid)].Emission > 0);
        Assert.True(chain.State.StakeOf(victimHot, Id(Victim.Cold), 1) > 0);
        Assert.Equal(0UL, chain.State.StakeOf(victimHot, Id(Attacker.Cold), 1));
        Assert.Equal(attackerBalance, chain.State.GetAccount(Id(Attacker.Cold)).Balance);
        Assert.DoesNotContain(chain.State.StakeShares, kv => kv.Key.Coldkey == Id(Attacker.Cold));
        AssertConservation(chain.State);
    }
}

/// <summary>Creating a subnet also binds its owner hotkey to the creator's coldkey: squatting a victim's hotkey that way
/// would lock the victim out of registering it anywhere (HotkeyOwnedByOther) and pay its owner emission to the squatter.</summary>
[Trait("Category", "Adversarial")]
public class SubnetCreationHotkeySquattingTests
{
    [Fact]
    public void Creating_a_subnet_with_a_victims_hotkey_is_refused_and_the_victim_can_still_register_it()
    {
        var chain = Standard(parameters: new Agora.Ledger.State.GlobalParameters { MinTxFee = 0, MinLockCost = 100 * Tao, SubnetImmunityBlocks = 10 });
        var victimHot = Id(Key(103));
        var squat = new CreateSubnetBody(victimHot, 5_000 * Tao, [.. Key(6).Sign(CreateSubnetBody.ProofMessage(ChainId, chain.App.GenesisHash, Id(Key(6)), victimHot))]);
        var receipt = chain.Produce(chain.Sign(Key(6), squat)).Receipts[0];
        Assert.Equal(TxCode.HotkeyProofInvalid, receipt.Code);
        Assert.Null(chain.State.OwnerOf(victimHot));
        Assert.Single(chain.State.Subnets);

        // A registration proof cannot be reused as a subnet-creation proof (different domain).
        var registration = RegisterBody.Create(Key(103), Id(Key(6)), 1, 10 * Tao, ChainId, chain.App.GenesisHash);
        Assert.Equal(TxCode.HotkeyProofInvalid, chain.App.CheckTx(chain.Sign(Key(6), new CreateSubnetBody(victimHot, 5_000 * Tao, registration.HotkeyProof))).Code);

        Assert.True(chain.Submit(Key(3), Reg(1, victimHot, 10 * Tao)).Success);
        Assert.Equal(Id(Key(3)), chain.State.OwnerOf(victimHot));
    }
}
