using System.Collections.Immutable;
using Agora.Core.Serialization;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.Transactions;

/// <summary>The kind-specific part of a transaction, canonically encoded inside <see cref="Transaction"/>.</summary>
public abstract record TxBody
{
    public const int MaxWeights = 256;
    public const int MaxSaltBytes = 64;

    public abstract TxKind Kind { get; }

    public abstract void Encode(CanonicalWriter w);

    public byte[] ToBytes()
    {
        var w = new CanonicalWriter(64);
        Encode(w);
        return w.ToArray();
    }

    /// <summary>Strict decode of a body; unknown kinds, short or trailing bytes throw <see cref="EncodingException"/>.</summary>
    public static TxBody Decode(TxKind kind, ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        TxBody body = kind switch
        {
            TxKind.Transfer => new TransferBody(r.ReadAccount("to"), r.ReadU64("amount")),
            TxKind.CreateSubnet => new CreateSubnetBody(r.ReadAccount("hotkey"), r.ReadU64("max_lock_cost"), r.ReadFixed(RegisterBody.ProofSize, "hotkey_proof").ToImmutableArray()),
            TxKind.Register => new RegisterBody(r.ReadU16("netuid"), r.ReadAccount("hotkey"), r.ReadU64("max_burn"), r.ReadFixed(RegisterBody.ProofSize, "hotkey_proof").ToImmutableArray()),
            TxKind.AddStake => new AddStakeBody(r.ReadAccount("hotkey"), r.ReadU16("netuid"), r.ReadU64("tao"), r.ReadU64("min_alpha_out")),
            TxKind.RemoveStake => new RemoveStakeBody(r.ReadAccount("hotkey"), r.ReadU16("netuid"), r.ReadU64("alpha"), r.ReadU64("min_tao_out")),
            TxKind.SetWeights => new SetWeightsBody(r.ReadU16("netuid"), ReadU16List(ref r, "uids"), ReadU16List(ref r, "values"), r.ReadU64("version")),
            TxKind.CommitWeights => new CommitWeightsBody(r.ReadU16("netuid"), r.ReadHash("commit_hash")),
            TxKind.RevealWeights => new RevealWeightsBody(r.ReadU16("netuid"), ReadU16List(ref r, "uids"), ReadU16List(ref r, "values"), r.ReadBytes(MaxSaltBytes, "salt").ToImmutableArray(), r.ReadU64("version")),
            TxKind.SetSubnetHyperparameter => new SetHyperparameterBody(r.ReadU16("netuid"), (SubnetHyperparameter)r.ReadU8("parameter"), r.ReadU64("value")),
            TxKind.Lock => new LockBody(r.ReadU16("netuid"), r.ReadAccount("hotkey"), r.ReadU64("amount"), r.ReadU64("duration")),
            TxKind.Propose => new ProposeBody((GlobalParameter)r.ReadU8("parameter"), r.ReadU64("value")),
            TxKind.Vote => new VoteBody(r.ReadU64("proposal_id"), r.ReadBool("approve")),
            TxKind.SetCommitment => new SetCommitmentBody(r.ReadU16("netuid"), r.ReadBytes(Transaction.MaxBodyBytes, "data").ToImmutableArray()),
            _ => throw new EncodingException($"Unknown transaction kind {(byte)kind}."),
        };
        r.EnsureEnd($"{kind} body");
        return body;
    }

    internal static void WriteU16List(CanonicalWriter w, ImmutableArray<ushort> values)
    {
        w.WriteU32((uint)values.Length);
        foreach (var v in values)
        {
            w.WriteU16(v);
        }
    }

    private static ImmutableArray<ushort> ReadU16List(ref CanonicalReader r, string field)
    {
        var n = r.ReadCount(MaxWeights, field);
        var b = ImmutableArray.CreateBuilder<ushort>(n);
        for (var i = 0; i < n; i++)
        {
            b.Add(r.ReadU16(field));
        }

        return b.MoveToImmutable();
    }
}

/// <summary>Send <paramref name="Amount"/> rao of free TAO to <paramref name="To"/>.</summary>
public sealed record TransferBody(AccountId To, ulong Amount) : TxBody
{
    public override TxKind Kind => TxKind.Transfer;

    public override void Encode(CanonicalWriter w) => w.WriteAccount(To).WriteU64(Amount);
}

/// <summary>
/// Create a subnet owned by the signer, locking the current lock cost (refused above <paramref name="MaxLockCost"/>).
/// Like a registration it binds <paramref name="Hotkey"/> to the signer's coldkey, so it carries the hotkey's proof of
/// possession over <see cref="ProofMessage"/>. Encoding: hotkey (32) ‖ max_lock_cost u64 ‖ hotkey_proof (64).
/// </summary>
public sealed record CreateSubnetBody(AccountId Hotkey, ulong MaxLockCost, ImmutableArray<byte> HotkeyProof) : TxBody
{
    /// <summary>Domain tag of subnet-owner hotkey proofs.</summary>
    public const string ProofDomain = "agora/create-subnet";

    public override TxKind Kind => TxKind.CreateSubnet;

    public override void Encode(CanonicalWriter w)
    {
        if (HotkeyProof.IsDefault || HotkeyProof.Length != RegisterBody.ProofSize)
        {
            throw new InvalidOperationException($"A subnet creation's hotkey proof is {RegisterBody.ProofSize} bytes; build it with {nameof(CreateSubnetBody)}.{nameof(Create)}.");
        }

        w.WriteAccount(Hotkey).WriteU64(MaxLockCost).WriteFixed(HotkeyProof.AsSpan());
    }

    /// <summary>"agora/create-subnet" (u32 length, UTF-8) ‖ chain id (u32 length, UTF-8) ‖ genesis hash (32) ‖ coldkey (32) ‖ hotkey (32).</summary>
    public static byte[] ProofMessage(string chainId, Hash256 genesisHash, AccountId coldkey, AccountId hotkey)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        return new CanonicalWriter(160).WriteString(ProofDomain).WriteString(chainId).WriteHash(genesisHash).WriteAccount(coldkey).WriteAccount(hotkey).ToArray();
    }

    /// <summary>A subnet creation with <paramref name="hotkey"/> as owner hotkey under <paramref name="coldkey"/>, with the hotkey's proof.</summary>
    public static CreateSubnetBody Create(Core.Crypto.Ed25519KeyPair hotkey, AccountId coldkey, ulong maxLockCost, string chainId, Hash256 genesisHash)
    {
        ArgumentNullException.ThrowIfNull(hotkey);
        var id = new AccountId(hotkey.PublicKey);
        return new CreateSubnetBody(id, maxLockCost, [.. hotkey.Sign(ProofMessage(chainId, genesisHash, coldkey, id))]);
    }
}

/// <summary>
/// Register <paramref name="Hotkey"/> on a subnet by burning the registration price (refused above <paramref name="MaxBurn"/>).
/// <paramref name="HotkeyProof"/> is the hotkey's Ed25519 signature over <see cref="ProofMessage"/>: proof that whoever
/// registers it holds the hotkey, so nobody can register (and collect the emission of) another miner's hotkey under
/// their own coldkey. Encoding: netuid u16 ‖ hotkey (32) ‖ max_burn u64 ‖ hotkey_proof (64).
/// </summary>
public sealed record RegisterBody(ushort Netuid, AccountId Hotkey, ulong MaxBurn, ImmutableArray<byte> HotkeyProof) : TxBody
{
    public const int ProofSize = 64;

    /// <summary>Domain tag of registration proofs, distinct from transaction and payload signatures.</summary>
    public const string ProofDomain = "agora/register";

    public override TxKind Kind => TxKind.Register;

    public override void Encode(CanonicalWriter w)
    {
        if (HotkeyProof.IsDefault || HotkeyProof.Length != ProofSize)
        {
            throw new InvalidOperationException($"A registration's hotkey proof is {ProofSize} bytes; build it with {nameof(RegisterBody)}.{nameof(Create)}.");
        }

        w.WriteU16(Netuid).WriteAccount(Hotkey).WriteU64(MaxBurn).WriteFixed(HotkeyProof.AsSpan());
    }

    /// <summary>"agora/register" (u32 length, UTF-8) ‖ chain id (u32 length, UTF-8) ‖ genesis hash (32) ‖ coldkey (32) ‖ netuid u16 ‖ hotkey (32).</summary>
    public static byte[] ProofMessage(string chainId, Hash256 genesisHash, AccountId coldkey, ushort netuid, AccountId hotkey)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        return new CanonicalWriter(160).WriteString(ProofDomain).WriteString(chainId).WriteHash(genesisHash)
            .WriteAccount(coldkey).WriteU16(netuid).WriteAccount(hotkey).ToArray();
    }

    /// <summary>A registration of <paramref name="hotkey"/> under <paramref name="coldkey"/>, with the hotkey's proof of possession.</summary>
    public static RegisterBody Create(Core.Crypto.Ed25519KeyPair hotkey, AccountId coldkey, ushort netuid, ulong maxBurn, string chainId, Hash256 genesisHash)
    {
        ArgumentNullException.ThrowIfNull(hotkey);
        var id = new AccountId(hotkey.PublicKey);
        return new RegisterBody(netuid, id, maxBurn, [.. hotkey.Sign(ProofMessage(chainId, genesisHash, coldkey, netuid, id))]);
    }
}

/// <summary>Swap <paramref name="Tao"/> rao into the subnet's pool and stake the alpha to <paramref name="Hotkey"/>.</summary>
public sealed record AddStakeBody(AccountId Hotkey, ushort Netuid, ulong Tao, ulong MinAlphaOut) : TxBody
{
    public override TxKind Kind => TxKind.AddStake;

    public override void Encode(CanonicalWriter w) => w.WriteAccount(Hotkey).WriteU16(Netuid).WriteU64(Tao).WriteU64(MinAlphaOut);
}

/// <summary>Unstake <paramref name="Alpha"/> from <paramref name="Hotkey"/> and swap it out of the pool for TAO.</summary>
public sealed record RemoveStakeBody(AccountId Hotkey, ushort Netuid, ulong Alpha, ulong MinTaoOut) : TxBody
{
    public override TxKind Kind => TxKind.RemoveStake;

    public override void Encode(CanonicalWriter w) => w.WriteAccount(Hotkey).WriteU16(Netuid).WriteU64(Alpha).WriteU64(MinTaoOut);
}

/// <summary>Set the signer hotkey's weights directly (only where commit-reveal is off).</summary>
public sealed record SetWeightsBody(ushort Netuid, ImmutableArray<ushort> Uids, ImmutableArray<ushort> Values, ulong VersionKey) : TxBody
{
    public override TxKind Kind => TxKind.SetWeights;

    public override void Encode(CanonicalWriter w)
    {
        w.WriteU16(Netuid);
        WriteU16List(w, Uids);
        WriteU16List(w, Values);
        w.WriteU64(VersionKey);
    }
}

/// <summary>Commit to weights by hash (see <see cref="WeightCommitHash"/>).</summary>
public sealed record CommitWeightsBody(ushort Netuid, Hash256 CommitHash) : TxBody
{
    public override TxKind Kind => TxKind.CommitWeights;

    public override void Encode(CanonicalWriter w) => w.WriteU16(Netuid).WriteHash(CommitHash);
}

/// <summary>Reveal weights committed earlier; they take effect when the hash matches and the reveal epoch has come.</summary>
public sealed record RevealWeightsBody(ushort Netuid, ImmutableArray<ushort> Uids, ImmutableArray<ushort> Values, ImmutableArray<byte> Salt, ulong VersionKey) : TxBody
{
    public override TxKind Kind => TxKind.RevealWeights;

    public override void Encode(CanonicalWriter w)
    {
        w.WriteU16(Netuid);
        WriteU16List(w, Uids);
        WriteU16List(w, Values);
        w.WriteBytes(Salt.AsSpan());
        w.WriteU64(VersionKey);
    }
}

/// <summary>Subnet owner sets one bounded hyperparameter.</summary>
public sealed record SetHyperparameterBody(ushort Netuid, SubnetHyperparameter Parameter, ulong Value) : TxBody
{
    public override TxKind Kind => TxKind.SetSubnetHyperparameter;

    public override void Encode(CanonicalWriter w) => w.WriteU16(Netuid).WriteU8((byte)Parameter).WriteU64(Value);
}

/// <summary>Lock (or top up) <paramref name="Amount"/> alpha staked to <paramref name="Hotkey"/> for <paramref name="Duration"/> blocks from now.</summary>
public sealed record LockBody(ushort Netuid, AccountId Hotkey, ulong Amount, ulong Duration) : TxBody
{
    public override TxKind Kind => TxKind.Lock;

    public override void Encode(CanonicalWriter w) => w.WriteU16(Netuid).WriteAccount(Hotkey).WriteU64(Amount).WriteU64(Duration);
}

/// <summary>Propose setting a global parameter (bounded).</summary>
public sealed record ProposeBody(GlobalParameter Parameter, ulong Value) : TxBody
{
    public override TxKind Kind => TxKind.Propose;

    public override void Encode(CanonicalWriter w) => w.WriteU8((byte)Parameter).WriteU64(Value);
}

/// <summary>Vote on an open proposal with the signer's conviction weight; a second vote replaces the first.</summary>
public sealed record VoteBody(ulong ProposalId, bool Approve) : TxBody
{
    public override TxKind Kind => TxKind.Vote;

    public override void Encode(CanonicalWriter w) => w.WriteU64(ProposalId).WriteBool(Approve);
}

/// <summary>
/// Publish (or replace) the signer hotkey's artifact commitment on a subnet: opaque bytes (at most
/// <see cref="MaxDataBytes"/>), e.g. where a miner's latest artifact lives and its hash. Unrelated to weight commits.
/// </summary>
public sealed record SetCommitmentBody(ushort Netuid, ImmutableArray<byte> Data) : TxBody
{
    public const int MaxDataBytes = 1_024;

    public override TxKind Kind => TxKind.SetCommitment;

    public override void Encode(CanonicalWriter w) => w.WriteU16(Netuid).WriteBytes(Data.AsSpan());
}
