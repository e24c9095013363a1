using Agora.Ledger.Execution;
using System.Text.Json;
using Agora.Core.Crypto;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using Agora.Node.Ledger;

namespace Agora.Node.Roles;

/// <summary>
/// The roles' ledger port over a node's JSON-RPC API (separate processes). The roles run on their own loop with no
/// synchronization context, so the synchronous port waits on the client's tasks. <paramref name="onChain"/> sees the node's
/// chain id and genesis hash once, before anything is signed for it, and may refuse it by throwing (e.g. a wallet's chain pin).
/// </summary>
public sealed class RpcSubnetLedger(LedgerClient client, Action<string, Hash256>? onChain = null) : ISubnetLedger
{
    private readonly Dictionary<AccountId, ulong> _nextNonce = [];
    private NodeStatusView? _chain;

    public string ChainId => Chain.ChainId;

    public Hash256 GenesisHash => Hash256.FromHex(Chain.GenesisHash);

    // Chain id and genesis hash never change for a node, so the first status answers them.
    private NodeStatusView Chain
    {
        get
        {
            if (_chain is null)
            {
                var status = client.GetStatusAsync().GetAwaiter().GetResult();
                onChain?.Invoke(status.ChainId, Hash256.FromHex(status.GenesisHash));
                _chain = status;
            }

            return _chain;
        }
    }

    public ulong Height => client.GetStatusAsync().GetAwaiter().GetResult().Height;

    public byte[]? BlockHash(ulong height)
    {
        try
        {
            var block = client.GetBlockAsync(height).GetAwaiter().GetResult();
            return block.ValueKind == JsonValueKind.Object && block.TryGetProperty("hash", out var h) ? Convert.FromHexString(h.GetString()!) : null;
        }
        catch (LedgerRpcException)
        {
            return null;
        }
    }

    public IReadOnlyList<NeuronView> Neurons(ushort netuid)
    {
        JsonElement m;
        try
        {
            m = client.GetMetagraphAsync(netuid).GetAwaiter().GetResult();
        }
        catch (LedgerRpcException)
        {
            return [];
        }

        if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("neurons", out var neurons))
        {
            return [];
        }

        return neurons.EnumerateArray().Select(n => new NeuronView(
            n.GetProperty("uid").GetUInt16(),
            AccountId.FromAddress(n.GetProperty("hotkey").GetString()!).ToBytes(),
            n.GetProperty("stake").GetUInt64(),
            n.GetProperty("incentive").GetUInt16(),
            n.GetProperty("dividends").GetUInt16(),
            n.GetProperty("emission").GetUInt64(),
            n.GetProperty("validator_permit").GetBoolean(),
            n.TryGetProperty("coldkey", out var c) ? AccountId.FromAddress(c.GetString()!).ToBytes() : null)).ToList();
    }

    public ulong MinTxFee => client.GetStatusAsync().GetAwaiter().GetResult().MinTxFee;

    public ulong Balance(byte[] account) => client.GetAccountAsync(new AccountId(account).ToAddress()).GetAwaiter().GetResult().Balance;

    public IReadOnlyList<BoardEntry> ArtifactCommitments(ushort netuid)
    {
        var result = client.CallAsync("get_artifact_commitments", w => w.WriteNumber("netuid", netuid)).GetAwaiter().GetResult();
        return result.ValueKind != JsonValueKind.Array
            ? []
            : result.EnumerateArray().Select(c => new BoardEntry(
                AccountId.FromAddress(c.GetProperty("hotkey").GetString()!).ToBytes(),
                Convert.FromHexString(c.GetProperty("data").GetString()!),
                c.GetProperty("block").GetUInt64())).OrderBy(e => Convert.ToHexStringLower(e.Hotkey), StringComparer.Ordinal).ToList();
    }

    public void Submit(Ed25519KeyPair signer, TxBody body)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var account = new AccountId(signer.PublicKey);
        var chainNonce = client.GetAccountAsync(account.ToAddress()).GetAwaiter().GetResult().Nonce;
        var nonce = Math.Max(chainNonce, _nextNonce.GetValueOrDefault(account));
        // Pay the chain's current minimum fee: governance may raise it, and a fee below it is refused.
        var fee = MinTxFee;
        var validUntil = Transaction.DefaultValidUntil(Height);
        var genesis = GenesisHash;
        try
        {
            client.SubmitAsync(new Transaction(account, nonce, body, fee, validUntil).Sign(signer, ChainId, genesis).ToBytes()).GetAwaiter().GetResult();
        }
        catch (LedgerRpcException e) when (nonce > chainNonce || e.Code == (int)TxCode.NonceStale)
        {
            // A transaction we counted was dropped (our nonce ran ahead), or the chain moved on between our read of the
            // nonce and the submission (another transaction of this signer was committed in between: the validator's
            // commitment and its weights are sent from different places): retry once with the nonce the chain has now.
            _nextNonce.Remove(account);
            var fresh = client.GetAccountAsync(account.ToAddress()).GetAwaiter().GetResult().Nonce;
            try
            {
                client.SubmitAsync(new Transaction(account, fresh, body, fee, validUntil).Sign(signer, ChainId, genesis).ToBytes()).GetAwaiter().GetResult();
                nonce = fresh;
            }
            catch (LedgerRpcException again)
            {
                throw new LedgerRejectedException(again.Code, again.Message + " (first try: " + e.Message + ")");
            }
        }
        catch (LedgerRpcException e)
        {
            throw new LedgerRejectedException(e.Code, e.Message);
        }

        _nextNonce[account] = nonce + 1;
    }
}
