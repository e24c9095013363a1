using System.Text.Json;

namespace Agora.Node.Ledger;

/// <summary>An error the node answered with: its code (see <see cref="RpcException"/>) and message.</summary>
public sealed class LedgerRpcException(string method, int code, string message)
    : Exception($"{method} failed ({code}): {message}")
{
    public string Method { get; } = method;

    public int Code { get; } = code;

    public string RpcMessage { get; } = message;
}

/// <summary>A node did not answer a call within the client's timeout. It is an <see cref="HttpRequestException"/>, so
/// callers that retry on transport failures (a restarting node) retry on it too.</summary>
public sealed class LedgerTimeoutException(string method, Uri endpoint, TimeSpan timeout, Exception? inner = null)
    : HttpRequestException($"The node at {endpoint} did not answer {method} within {timeout.TotalSeconds:0.###} s.", inner)
{
    public string Method { get; } = method;

    public TimeSpan Timeout { get; } = timeout;
}

public sealed record NodeStatusView(string ChainId, ulong Height, string BlockHash, string StateRoot, ulong Timestamp, string GenesisHash, int Mempool)
{
    /// <summary>The chain's current minimum transaction fee in rao (governance can change it); 0 from a node that does not report it.</summary>
    public ulong MinTxFee { get; init; }

    internal static NodeStatusView From(JsonElement e) => new(
        e.GetProperty("chain_id").GetString()!, e.GetProperty("height").GetUInt64(), e.GetProperty("block_hash").GetString()!,
        e.GetProperty("state_root").GetString()!, e.GetProperty("timestamp").GetUInt64(), e.GetProperty("genesis_hash").GetString()!,
        e.GetProperty("mempool").GetInt32())
    {
        MinTxFee = e.TryGetProperty("min_tx_fee", out var fee) ? fee.GetUInt64() : 0,
    };
}

/// <summary>A transaction's status; the receipt fields are set only when <see cref="Status"/> is "committed".</summary>
public sealed record ReceiptView(string TxId, string Status, ulong? Height, int? Index, string? BlockHash, int? Code, string? CodeName, string? Message)
{
    public bool Committed => Status == "committed";

    public bool Success => Committed && Code == 0;

    internal static ReceiptView From(JsonElement e) => new(
        e.GetProperty("tx_id").GetString()!, e.GetProperty("status").GetString()!,
        e.TryGetProperty("height", out var h) ? h.GetUInt64() : null,
        e.TryGetProperty("index", out var i) ? i.GetInt32() : null,
        e.TryGetProperty("block_hash", out var b) ? b.GetString() : null,
        e.TryGetProperty("code", out var c) ? c.GetInt32() : null,
        e.TryGetProperty("code_name", out var n) ? n.GetString() : null,
        e.TryGetProperty("message", out var m) ? m.GetString() : null);
}

public sealed record AccountView(string Address, ulong Balance, ulong Nonce)
{
    internal static AccountView From(JsonElement e) => new(e.GetProperty("address").GetString()!, e.GetProperty("balance").GetUInt64(), e.GetProperty("nonce").GetUInt64());
}

public sealed record BlockSummaryView(ulong Height, string Hash, string ParentHash, ulong Timestamp, string StateRoot, IReadOnlyList<string> TxIds)
{
    internal static BlockSummaryView From(JsonElement e) => new(
        e.GetProperty("height").GetUInt64(), e.GetProperty("hash").GetString()!, e.GetProperty("parent_hash").GetString()!,
        e.GetProperty("timestamp").GetUInt64(), e.GetProperty("state_root").GetString()!,
        e.TryGetProperty("tx_ids", out var ids)
            ? ids.EnumerateArray().Select(x => x.GetString()!).ToArray()
            : e.GetProperty("transactions").EnumerateArray().Select(x => x.GetProperty("tx_id").GetString()!).ToArray());
}

/// <summary>A vote on a proposal: the weight is the one the ledger stored (when cast, re-weighed at the tally).</summary>
public sealed record ProposalVoteView(string Voter, bool Approve, UInt128 Weight);

/// <summary>A governance proposal as get_proposals reports it. Weights are conviction weights (decimal strings on the wire).</summary>
public sealed record ProposalView(ulong Id, string Proposer, string Parameter, ulong Value, ulong CreatedBlock, ulong VotingEndBlock, ulong ExecuteBlock,
    string Status, UInt128 YesWeight, UInt128 NoWeight, UInt128 TotalWeightAtTally, IReadOnlyList<ProposalVoteView> Votes)
{
    internal static ProposalView From(JsonElement e) => new(
        e.GetProperty("id").GetUInt64(), e.GetProperty("proposer").GetString()!, e.GetProperty("parameter").GetString()!, e.GetProperty("value").GetUInt64(),
        e.GetProperty("created_block").GetUInt64(), e.GetProperty("voting_end_block").GetUInt64(), e.GetProperty("execute_block").GetUInt64(),
        e.GetProperty("status").GetString()!, Weight(e, "yes_weight"), Weight(e, "no_weight"), Weight(e, "total_weight_at_tally"),
        [.. e.GetProperty("votes").EnumerateArray().Select(v => new ProposalVoteView(v.GetProperty("voter").GetString()!, v.GetProperty("approve").GetBoolean(), Weight(v, "weight")))]);

    private static UInt128 Weight(JsonElement e, string name) => UInt128.Parse(e.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
