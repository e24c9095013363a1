using System.Text.Json;
using Agora.Ledger.App;
using Agora.Ledger.Blocks;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Storage;

namespace Agora.Node.Ledger;

/// <summary>
/// JSON shapes of the node API, written by hand. Conventions: addresses are SS58 strings, hashes lower-case hex,
/// u64 amounts JSON integers (rao), 128-bit values (Q64 prices, shares) decimal strings.
/// </summary>
public static class RpcJson
{
    public static void Status(Utf8JsonWriter w, LedgerApp app, Hash256 genesisHash, int mempool)
    {
        w.WriteStartObject();
        w.WriteString("chain_id", app.ChainId);
        w.WriteNumber("height", app.Height);
        w.WriteString("block_hash", app.LastBlockHash.ToHex());
        w.WriteString("state_root", app.StateRoot.ToHex());
        w.WriteNumber("timestamp", app.LastTimestamp);
        w.WriteString("genesis_hash", genesisHash.ToHex());
        w.WriteNumber("mempool", mempool);
        // The current minimum transaction fee (rao): clients and roles pay at least this.
        w.WriteNumber("min_tx_fee", app.Query.Parameters.MinTxFee);
        w.WriteEndObject();
    }

    public static void Receipt(Utf8JsonWriter w, Hash256 txId, TxStatus status)
    {
        w.WriteStartObject();
        w.WriteString("tx_id", txId.ToHex());
        w.WriteString("status", status.State.ToString().ToLowerInvariant());
        if (status.Receipt is { } r)
        {
            w.WriteNumber("height", r.Height);
            w.WriteNumber("index", r.Index);
            w.WriteString("block_hash", r.BlockHash.ToHex());
            w.WriteNumber("code", (int)r.Code);
            w.WriteString("code_name", r.Code.ToString());
            w.WriteBoolean("success", r.Success);
            w.WriteString("message", r.Message);
        }

        if (status.Reason is { } reason)
        {
            w.WriteString("message", reason);
        }

        w.WriteEndObject();
    }

    public static void Block(Utf8JsonWriter w, Block block, IReadOnlyList<StoredReceipt> receipts)
    {
        w.WriteStartObject();
        BlockFields(w, block);
        w.WriteStartArray("transactions");
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            w.WriteStartObject();
            w.WriteString("tx_id", Hash256.Of(block.Transactions[i]).ToHex());
            w.WriteString("bytes", Convert.ToHexStringLower(block.Transactions[i]));
            if (i < receipts.Count)
            {
                w.WriteNumber("code", (int)receipts[i].Code);
                w.WriteString("code_name", receipts[i].Code.ToString());
                w.WriteString("message", receipts[i].Message);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A block without its transaction bytes (the stream of new blocks).</summary>
    public static void BlockSummary(Utf8JsonWriter w, Block block)
    {
        w.WriteStartObject();
        BlockFields(w, block);
        w.WriteStartArray("tx_ids");
        foreach (var tx in block.Transactions)
        {
            w.WriteStringValue(Hash256.Of(tx).ToHex());
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void BlockFields(Utf8JsonWriter w, Block block)
    {
        w.WriteNumber("height", block.Header.Height);
        w.WriteString("hash", block.Hash.ToHex());
        w.WriteString("parent_hash", block.Header.ParentHash.ToHex());
        w.WriteNumber("timestamp", block.Header.Timestamp);
        w.WriteString("producer", block.Header.Producer.ToAddress());
        w.WriteString("state_root", block.StateRoot.ToHex());
        w.WriteString("tx_root", block.TxRoot.ToHex());
        w.WriteNumber("tx_count", block.Transactions.Count);
    }

    public static void Account(Utf8JsonWriter w, AccountInfo a)
    {
        w.WriteStartObject();
        w.WriteString("address", a.Account.ToAddress());
        w.WriteString("public_key", a.Account.ToHex());
        w.WriteNumber("balance", a.Balance);
        w.WriteNumber("nonce", a.Nonce);
        w.WriteStartArray("stakes");
        foreach (var s in a.Stakes)
        {
            w.WriteStartObject();
            w.WriteString("hotkey", s.Hotkey.ToAddress());
            w.WriteNumber("netuid", s.Netuid);
            w.WriteNumber("alpha", s.Alpha);
            w.WriteNumber("tao_value", s.TaoValueAtSpot);
            w.WriteNumber("locked", s.Locked);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Pool(Utf8JsonWriter w, PoolInfo p)
    {
        w.WriteStartObject();
        w.WriteNumber("netuid", p.Netuid);
        w.WriteNumber("tao_reserve", p.TaoReserve);
        w.WriteNumber("alpha_reserve", p.AlphaReserve);
        w.WriteNumber("alpha_issuance", p.AlphaIssuance);
        w.WriteNumber("spot_price_rao", p.SpotPriceRao);
        w.WriteNumber("ema_price_rao", p.EmaPriceRao);
        w.WriteString("spot_price_q64", p.SpotPriceQ64.ToString());
        w.WriteString("ema_price_q64", p.EmaPriceQ64.ToString());
        w.WriteEndObject();
    }

    public static void Subnet(Utf8JsonWriter w, SubnetInfo s)
    {
        w.WriteStartObject();
        w.WriteNumber("netuid", s.Netuid);
        w.WriteString("owner_coldkey", s.OwnerColdkey.ToAddress());
        w.WriteString("owner_hotkey", s.OwnerHotkey.ToAddress());
        w.WriteNumber("registered_block", s.RegisteredBlock);
        w.WriteNumber("first_emission_block", s.FirstEmissionBlock);
        w.WriteNumber("neuron_count", s.NeuronCount);
        w.WriteNumber("registration_burn", s.RegistrationBurn);
        w.WriteNumber("pending_server", s.PendingServer);
        w.WriteNumber("pending_validator", s.PendingValidator);
        w.WriteNumber("pending_owner", s.PendingOwner);
        w.WriteNumber("last_epoch_block", s.LastEpochBlock);
        w.WriteNumber("next_epoch_block", s.NextEpochBlock);
        w.WritePropertyName("pool");
        Pool(w, s.Pool);
        w.WriteStartObject("hyperparameters");
        foreach (var p in SubnetHyperparameterBounds.All)
        {
            w.WriteNumber(p.ToString(), s.Hyper.Get(p));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void Metagraph(Utf8JsonWriter w, Metagraph m)
    {
        w.WriteStartObject();
        w.WriteNumber("netuid", m.Netuid);
        w.WriteNumber("block", m.Block);
        w.WriteStartArray("neurons");
        foreach (var n in m.Neurons)
        {
            w.WriteStartObject();
            w.WriteNumber("uid", n.Uid);
            w.WriteString("hotkey", n.Hotkey.ToAddress());
            w.WriteString("coldkey", n.Coldkey.ToAddress());
            w.WriteNumber("stake", n.Stake);
            w.WriteNumber("registered_block", n.RegisteredBlock);
            w.WriteNumber("last_update", n.LastUpdate);
            w.WriteBoolean("immune", n.Immune);
            w.WriteBoolean("validator_permit", n.ValidatorPermit);
            w.WriteNumber("stake_weight", n.StakeWeight);
            w.WriteNumber("trust", n.Trust);
            w.WriteNumber("consensus", n.Consensus);
            w.WriteNumber("incentive", n.Incentive);
            w.WriteNumber("dividends", n.Dividends);
            w.WriteNumber("emission", n.Emission);
            w.WriteStartArray("weights");
            foreach (var e in n.Weights)
            {
                w.WriteStartArray();
                w.WriteNumberValue(e.Uid);
                w.WriteNumberValue(e.Value);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Commitment(Utf8JsonWriter w, CommitmentInfo c)
    {
        w.WriteStartObject();
        w.WriteNumber("netuid", c.Netuid);
        w.WriteString("hotkey", c.Hotkey.ToAddress());
        w.WriteString("hash", c.Hash.ToHex());
        w.WriteNumber("commit_block", c.CommitBlock);
        w.WriteNumber("commit_epoch", c.CommitEpoch);
        w.WriteNumber("reveal_epoch", c.RevealEpoch);
        w.WriteEndObject();
    }

    /// <summary>An artifact commitment (SetCommitment): data as lower-case hex, with the hotkey's UID and the block that set it.</summary>
    public static void ArtifactCommitment(Utf8JsonWriter w, ArtifactCommitmentInfo c)
    {
        w.WriteStartObject();
        w.WriteNumber("netuid", c.Netuid);
        w.WriteString("hotkey", c.Hotkey.ToAddress());
        w.WriteNumber("uid", c.Uid);
        w.WriteString("data", Convert.ToHexStringLower(c.Data.AsSpan()));
        w.WriteNumber("block", c.Block);
        w.WriteEndObject();
    }

    public static void ProposalJson(Utf8JsonWriter w, ProposalInfo p)
    {
        var proposal = p.Proposal;
        w.WriteStartObject();
        ProposalFields(w, proposal);
        w.WriteStartArray("votes");
        foreach (var (voter, vote) in p.Votes)
        {
            w.WriteStartObject();
            w.WriteString("voter", voter.ToAddress());
            w.WriteBoolean("approve", vote.Approve);
            w.WriteString("weight", vote.Weight.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void ProposalFields(Utf8JsonWriter w, Proposal proposal)
    {
        w.WriteNumber("id", proposal.Id);
        w.WriteString("proposer", proposal.Proposer.ToAddress());
        w.WriteString("parameter", proposal.Parameter.ToString());
        w.WriteNumber("value", proposal.Value);
        w.WriteNumber("created_block", proposal.CreatedBlock);
        w.WriteNumber("voting_end_block", proposal.VotingEndBlock);
        w.WriteNumber("execute_block", proposal.ExecuteBlock);
        w.WriteString("status", proposal.Status.ToString());
        w.WriteString("yes_weight", proposal.YesWeight.ToString());
        w.WriteString("no_weight", proposal.NoWeight.ToString());
        w.WriteString("total_weight_at_tally", proposal.TotalWeightAtTally.ToString());
    }
}
