using System.Collections.Immutable;
using Agora.Core.Serialization;
using Agora.Ledger.Primitives;

namespace Agora.Ledger.State;

/// <summary>
/// Canonical encoding of the whole <see cref="LedgerState"/>: magic "AGST", version u16, scalar fields, then
/// each map as a u32 count followed by its entries in key order. The state root is BLAKE2b-256 of this
/// encoding. Decoding is strict: keys must be strictly ascending (so there is one encoding per state), counts
/// are bounded, trailing bytes are rejected. The derived (netuid, hotkey) → uid index is rebuilt, not stored.
/// </summary>
public static class StateCodec
{
    public static ReadOnlySpan<byte> Magic => "AGST"u8;
    // Version 2 appended the artifact commitments map. Version 3: global parameters ProposalBond and
    // CommitmentRateLimit; a lock carries its score, score block and ownership integral; a proposal its bond.
    public const ushort Version = 3;
    private const int MaxEntries = 50_000_000;
    private const int MaxRow = 4_096;
    private const int MaxCommitmentBytes = 1_024;

    private delegate T ReadFn<T>(ref CanonicalReader r);

    public static byte[] Encode(LedgerState s)
    {
        var w = new CanonicalWriter(1 << 16);
        w.WriteFixed(Magic).WriteU16(Version);
        w.WriteString(s.ChainId).WriteU64(s.Height).WriteU64(s.LastTimestamp).WriteU64(s.TotalIssuance).WriteU64(s.TotalBurned)
            .WriteU64(s.LastLockCost).WriteU64(s.LastLockBlock).WriteU64(s.NextProposalId);
        s.Params.Encode(w);
        WriteMap(w, s.Accounts, (w, k) => w.WriteAccount(k), (w, v) => w.WriteU64(v.Balance).WriteU64(v.Nonce));
        WriteMap(w, s.HotkeyOwners, (w, k) => w.WriteAccount(k), (w, v) => w.WriteAccount(v));
        WriteMap(w, s.Subnets, (w, k) => w.WriteU16(k), WriteSubnet);
        WriteMap(w, s.Neurons, (w, k) => w.WriteU16(k.Netuid).WriteU16(k.Uid), WriteNeuron);
        WriteMap(w, s.HotkeyAlpha, (w, k) => w.WriteU16(k.Netuid).WriteAccount(k.Hotkey), (w, v) => w.WriteU64(v.Alpha).WriteU128(v.TotalShares));
        WriteMap(w, s.StakeShares, (w, k) => w.WriteAccount(k.Hotkey).WriteAccount(k.Coldkey).WriteU16(k.Netuid), (w, v) => w.WriteU128(v));
        WriteMap(w, s.Weights, (w, k) => w.WriteU16(k.Netuid).WriteU16(k.Uid), WriteRow);
        WriteMap(w, s.Bonds, (w, k) => w.WriteU16(k.Netuid).WriteU16(k.Uid), WriteRow);
        WriteMap(w, s.Commits, (w, k) => w.WriteU16(k.Netuid).WriteAccount(k.Hotkey), (w, v) =>
        {
            w.WriteU32((uint)v.Length);
            foreach (var c in v)
            {
                w.WriteHash(c.Hash).WriteU64(c.CommitBlock).WriteU64(c.CommitEpoch);
            }
        });
        WriteMap(w, s.Locks, (w, k) => w.WriteAccount(k.Coldkey).WriteU16(k.Netuid).WriteAccount(k.Hotkey), (w, v) => w.WriteU64(v.Amount).WriteU64(v.EndBlock)
            .WriteU128(v.ScoreQ64).WriteU64(v.ScoreBlock).WriteU128(v.AccruedWeight).WriteU64(v.AccruedThrough));
        WriteMap(w, s.Proposals, (w, k) => w.WriteU64(k), (w, p) => w.WriteU64(p.Id).WriteAccount(p.Proposer).WriteU8((byte)p.Parameter).WriteU64(p.Value)
            .WriteU64(p.CreatedBlock).WriteU64(p.VotingEndBlock).WriteU64(p.ExecuteBlock).WriteU8((byte)p.Status)
            .WriteU128(p.YesWeight).WriteU128(p.NoWeight).WriteU128(p.TotalWeightAtTally).WriteU64(p.Bond));
        WriteMap(w, s.Votes, (w, k) => w.WriteU64(k.ProposalId).WriteAccount(k.Voter), (w, v) => w.WriteBool(v.Approve).WriteU128(v.Weight));
        WriteMap(w, s.ArtifactCommitments, (w, k) => w.WriteU16(k.Netuid).WriteAccount(k.Hotkey), (w, v) => w.WriteBytes(v.Data.AsSpan()).WriteU64(v.Block));
        return w.ToArray();
    }

    /// <summary>BLAKE2b-256 over <see cref="Encode"/>.</summary>
    public static Hash256 Root(LedgerState s) => Hash256.Of(Encode(s));

    public static LedgerState Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        if (!r.ReadFixed(4, "magic").AsSpan().SequenceEqual(Magic))
        {
            throw new EncodingException("Not a ledger state: the magic bytes are not 'AGST'.");
        }

        var version = r.ReadU16("version");
        if (version != Version)
        {
            throw new EncodingException($"Ledger state version {version} is not supported (expected {Version}).");
        }

        var s = new LedgerState
        {
            ChainId = r.ReadString(256, "chain_id"),
            Height = r.ReadU64("height"),
            LastTimestamp = r.ReadU64("last_timestamp"),
            TotalIssuance = r.ReadU64("total_issuance"),
            TotalBurned = r.ReadU64("total_burned"),
            LastLockCost = r.ReadU64("last_lock_cost"),
            LastLockBlock = r.ReadU64("last_lock_block"),
            NextProposalId = r.ReadU64("next_proposal_id"),
            Params = GlobalParameters.Decode(ref r),
        };
        s.Accounts = ReadMap(ref r, "accounts", (ref CanonicalReader r) => r.ReadAccount(), (ref CanonicalReader r) => new Account(r.ReadU64("balance"), r.ReadU64("nonce")));
        s.HotkeyOwners = ReadMap(ref r, "hotkey_owners", (ref CanonicalReader r) => r.ReadAccount(), (ref CanonicalReader r) => r.ReadAccount());
        s.Subnets = ReadMap(ref r, "subnets", (ref CanonicalReader r) => r.ReadU16("netuid"), ReadSubnet);
        s.Neurons = ReadMap(ref r, "neurons", (ref CanonicalReader r) => (r.ReadU16("netuid"), r.ReadU16("uid")), ReadNeuron);
        s.HotkeyAlpha = ReadMap(ref r, "hotkey_alpha", (ref CanonicalReader r) => (r.ReadU16("netuid"), r.ReadAccount()), (ref CanonicalReader r) => new HotkeyAlpha(r.ReadU64("alpha"), r.ReadU128("shares")));
        s.StakeShares = ReadMap(ref r, "stake_shares", (ref CanonicalReader r) => (r.ReadAccount(), r.ReadAccount(), r.ReadU16("netuid")), (ref CanonicalReader r) => r.ReadU128("shares"));
        s.Weights = ReadMap(ref r, "weights", (ref CanonicalReader r) => (r.ReadU16("netuid"), r.ReadU16("uid")), ReadRow);
        s.Bonds = ReadMap(ref r, "bonds", (ref CanonicalReader r) => (r.ReadU16("netuid"), r.ReadU16("uid")), ReadRow);
        s.Commits = ReadMap(ref r, "commits", (ref CanonicalReader r) => (r.ReadU16("netuid"), r.ReadAccount()), (ref CanonicalReader r) =>
        {
            var n = r.ReadCount(MaxRow, "commits");
            var b = ImmutableArray.CreateBuilder<WeightCommit>(n);
            for (var i = 0; i < n; i++)
            {
                b.Add(new WeightCommit(r.ReadHash(), r.ReadU64("commit_block"), r.ReadU64("commit_epoch")));
            }

            return b.MoveToImmutable();
        });
        s.Locks = ReadMap(ref r, "locks", (ref CanonicalReader r) => (r.ReadAccount(), r.ReadU16("netuid"), r.ReadAccount()), ReadLock);
        s.Proposals = ReadMap(ref r, "proposals", (ref CanonicalReader r) => r.ReadU64("id"), (ref CanonicalReader r) => new Proposal(
            r.ReadU64("id"), r.ReadAccount(), (GlobalParameter)r.ReadU8("parameter"), r.ReadU64("value"), r.ReadU64("created"), r.ReadU64("voting_end"),
            r.ReadU64("execute"), (ProposalStatus)r.ReadU8("status"), r.ReadU128("yes"), r.ReadU128("no"), r.ReadU128("total"), r.ReadU64("bond")));
        s.Votes = ReadMap(ref r, "votes", (ref CanonicalReader r) => (r.ReadU64("proposal"), r.ReadAccount()), (ref CanonicalReader r) => new Vote(r.ReadBool("approve"), r.ReadU128("weight")));
        s.ArtifactCommitments = ReadMap(ref r, "artifact_commitments", (ref CanonicalReader r) => (r.ReadU16("netuid"), r.ReadAccount()),
            (ref CanonicalReader r) => new ArtifactCommitment(r.ReadBytes(MaxCommitmentBytes, "commitment_data").ToImmutableArray(), r.ReadU64("commitment_block")));
        r.EnsureEnd("ledger state");

        var index = ImmutableSortedDictionary.CreateBuilder<(ushort, AccountId), ushort>();
        foreach (var ((netuid, uid), neuron) in s.Neurons)
        {
            index[(netuid, neuron.Hotkey)] = uid;
        }

        s.UidByHotkey = index.ToImmutable();
        return s;
    }

    private static void WriteMap<TK, TV>(CanonicalWriter w, ImmutableSortedDictionary<TK, TV> map, Action<CanonicalWriter, TK> key, Action<CanonicalWriter, TV> value)
        where TK : notnull
    {
        w.WriteU32((uint)map.Count);
        foreach (var (k, v) in map)
        {
            key(w, k);
            value(w, v);
        }
    }

    private static ImmutableSortedDictionary<TK, TV> ReadMap<TK, TV>(ref CanonicalReader r, string name, ReadFn<TK> key, ReadFn<TV> value)
        where TK : notnull
    {
        var n = r.ReadCount(MaxEntries, name);
        var b = ImmutableSortedDictionary.CreateBuilder<TK, TV>();
        var comparer = Comparer<TK>.Default;
        TK? previous = default;
        for (var i = 0; i < n; i++)
        {
            var k = key(ref r);
            if (i > 0 && comparer.Compare(previous!, k) >= 0)
            {
                throw new EncodingException($"'{name}' keys are not strictly ascending at entry {i}; the state encoding is not canonical.");
            }

            b.Add(k, value(ref r));
            previous = k;
        }

        return b.ToImmutable();
    }

    /// <summary>A conviction score above 1.0 would weigh more than the locked alpha: refuse it.</summary>
    private static ConvictionLock ReadLock(ref CanonicalReader r)
    {
        var l = new ConvictionLock(r.ReadU64("amount"), r.ReadU64("end"), r.ReadU128("score"), r.ReadU64("score_block"), r.ReadU128("accrued"), r.ReadU64("accrued_through"));
        if (l.ScoreQ64 > (UInt128)1 << 64)
        {
            throw new EncodingException($"A stored conviction lock has score {l.ScoreQ64} (Q64), above 1.0.");
        }

        return l;
    }

    private static void WriteRow(CanonicalWriter w, ImmutableArray<WeightEntry> row)
    {
        w.WriteU32((uint)row.Length);
        foreach (var e in row)
        {
            w.WriteU16(e.Uid).WriteU16(e.Value);
        }
    }

    private static ImmutableArray<WeightEntry> ReadRow(ref CanonicalReader r)
    {
        var n = r.ReadCount(MaxRow, "row");
        var b = ImmutableArray.CreateBuilder<WeightEntry>(n);
        for (var i = 0; i < n; i++)
        {
            b.Add(new WeightEntry(r.ReadU16("uid"), r.ReadU16("value")));
        }

        return b.MoveToImmutable();
    }

    private static void WriteSubnet(CanonicalWriter w, Subnet s)
    {
        w.WriteU16(s.Netuid).WriteAccount(s.OwnerColdkey).WriteAccount(s.OwnerHotkey).WriteU64(s.RegisteredBlock).WriteU64(s.FirstEmissionBlock);
        s.Hyper.Encode(w);
        w.WriteU64(s.TaoReserve).WriteU64(s.AlphaReserve).WriteU64(s.AlphaIssuance).WriteU128(s.EmaPriceQ64)
            .WriteU64(s.PendingServer).WriteU64(s.PendingValidator).WriteU64(s.PendingOwner).WriteU64(s.Burn)
            .WriteU64(s.LastEpochBlock).WriteU64(s.LastHyperparamChangeBlock).WriteU64(s.LockedTao).WriteU16(s.NeuronCount);
    }

    private static Subnet ReadSubnet(ref CanonicalReader r) => new(
        r.ReadU16("netuid"), r.ReadAccount(), r.ReadAccount(), r.ReadU64("registered"), r.ReadU64("first_emission"),
        SubnetHyperparameters.Decode(ref r), r.ReadU64("tao_reserve"), r.ReadU64("alpha_reserve"), r.ReadU64("alpha_issuance"),
        r.ReadU128("ema_price"), r.ReadU64("pending_server"), r.ReadU64("pending_validator"), r.ReadU64("pending_owner"),
        r.ReadU64("burn"), r.ReadU64("last_epoch"), r.ReadU64("last_hyper_change"), r.ReadU64("locked_tao"), r.ReadU16("neuron_count"));

    private static void WriteNeuron(CanonicalWriter w, Neuron n) =>
        w.WriteAccount(n.Hotkey).WriteAccount(n.Coldkey).WriteU64(n.RegisteredBlock).WriteU64(n.LastUpdate).WriteBool(n.ValidatorPermit)
            .WriteU16(n.StakeWeight).WriteU16(n.Rank).WriteU16(n.Trust).WriteU16(n.Consensus).WriteU16(n.Incentive).WriteU16(n.Dividends)
            .WriteU64(n.Emission);

    private static Neuron ReadNeuron(ref CanonicalReader r) => new(
        r.ReadAccount(), r.ReadAccount(), r.ReadU64("registered"), r.ReadU64("last_update"), r.ReadBool("permit"),
        r.ReadU16("stake_weight"), r.ReadU16("rank"), r.ReadU16("trust"), r.ReadU16("consensus"), r.ReadU16("incentive"),
        r.ReadU16("dividends"), r.ReadU64("emission"));
}
