using Agora.Core.Crypto;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using Agora.Node.Ledger;

namespace Agora.Node.Roles;

/// <summary>The roles' ledger port over a <see cref="LedgerNode"/> in the same process (tests, single-process runs).</summary>
public sealed class LocalSubnetLedger(LedgerNode node) : ISubnetLedger
{
    private const int NonceStale = 3;
    private readonly Dictionary<AccountId, ulong> _nextNonce = [];
    private readonly Lock _gate = new();

    public string ChainId => node.Read(app => app.ChainId);

    public ulong Height => node.Read(app => app.Height);

    public Hash256 GenesisHash => node.Read(app => app.GenesisHash);

    public byte[]? BlockHash(ulong height) => node.Store.GetHeader(height)?.Hash.ToBytes();

    public IReadOnlyList<NeuronView> Neurons(ushort netuid)
    {
        var metagraph = node.Read(app => app.Query.GetMetagraph(netuid));
        return metagraph is null
            ? []
            : metagraph.Neurons.Select(n => new NeuronView(n.Uid, n.Hotkey.ToBytes(), n.Stake, n.Incentive, n.Dividends, n.Emission, n.ValidatorPermit, n.Coldkey.ToBytes())).ToList();
    }

    public ulong MinTxFee => node.Read(app => app.Query.Parameters.MinTxFee);

    public ulong Balance(byte[] account) => node.Read(app => app.Query.GetAccount(new AccountId(account)).Balance);

    public IReadOnlyList<BoardEntry> ArtifactCommitments(ushort netuid) =>
        node.Read(app => app.Query.GetSubnet(netuid) is null ? [] : app.Query.ArtifactCommitments(netuid))
            .Select(c => new BoardEntry(c.Hotkey.ToBytes(), [.. c.Data], c.Block)).OrderBy(e => Convert.ToHexStringLower(e.Hotkey), StringComparer.Ordinal).ToList();

    public void Submit(Ed25519KeyPair signer, TxBody body)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(body);
        var account = new AccountId(signer.PublicKey);
        lock (_gate)
        {
            // Pay the chain's current minimum fee: governance may raise it, and a fee below it is refused.
            var (chainId, genesis, height, chainNonce, fee) = node.Read(app => (app.ChainId, app.GenesisHash, app.Height, app.Query.GetAccount(account).Nonce, app.Query.Parameters.MinTxFee));
            var validUntil = Transaction.DefaultValidUntil(height);
            var nonce = Math.Max(chainNonce, _nextNonce.GetValueOrDefault(account));
            var tx = new Transaction(account, nonce, body, fee, validUntil).Sign(signer, chainId, genesis).ToBytes();
            try
            {
                node.Submit(tx);
            }
            catch (TxSubmitException e) when (e.Code == NonceStale || nonce > chainNonce)
            {
                // A transaction we counted was dropped: fall back to the committed nonce once.
                _nextNonce.Remove(account);
                if (nonce == chainNonce)
                {
                    throw new LedgerRejectedException(e.Code, e.Message);
                }

                tx = new Transaction(account, chainNonce, body, fee, validUntil).Sign(signer, chainId, genesis).ToBytes();
                try
                {
                    node.Submit(tx);
                    nonce = chainNonce;
                }
                catch (TxSubmitException again)
                {
                    throw new LedgerRejectedException(again.Code, again.Message);
                }
            }
            catch (TxSubmitException e)
            {
                throw new LedgerRejectedException(e.Code, e.Message);
            }

            _nextNonce[account] = nonce + 1;
        }
    }
}
