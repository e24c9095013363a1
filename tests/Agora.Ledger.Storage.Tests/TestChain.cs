using Agora.Core.Crypto;
using Agora.Ledger.App;
using Agora.Ledger.Blocks;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Storage.Tests;

/// <summary>Builds a real chain (genesis with one funded account, blocks of signed transfers) into a store.</summary>
internal sealed class TestChain
{
    public static readonly Ed25519KeyPair Alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)1, 32).ToArray());
    public static readonly AccountId AliceId = new(Alice.PublicKey);
    public static readonly AccountId Bob = new(Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)2, 32).ToArray()).PublicKey);

    public static GenesisConfig Genesis(string chainId = "storage-test") => new()
    {
        ChainId = chainId,
        GenesisTimestamp = 1_000,
        Balances = [(AliceId, 1_000_000_000_000)],
        Params = new GlobalParameters { MinTxFee = 0 },
    };

    private ulong _nonce;

    public TestChain(GenesisConfig? genesis = null)
    {
        App = LedgerApp.FromGenesis(genesis ?? Genesis());
    }

    public LedgerApp App { get; }

    public byte[] Transfer(ulong amount, ulong? nonce = null)
        => new Transaction(AliceId, nonce ?? _nonce++, new TransferBody(Bob, amount), 0, ulong.MaxValue).Sign(Alice, App.ChainId, App.GenesisHash).ToBytes();

    /// <summary>Finalizes, stores and commits one block carrying <paramref name="transfers"/> transfers.</summary>
    public FinalizeBlockResult Produce(LedgerStore store, int transfers = 2, ulong snapshotEvery = 0)
    {
        var txs = Enumerable.Range(0, transfers).Select(i => Transfer((ulong)(i + 1))).ToArray();
        var header = new BlockHeader(App.Height + 1, App.LastBlockHash, App.LastTimestamp + 1_000, AccountId.Zero);
        var result = App.FinalizeBlock(header, txs);
        store.AppendBlock(result);
        App.Commit();
        if (snapshotEvery > 0 && App.Height % snapshotEvery == 0)
        {
            store.SaveSnapshot(App.Height, App.StateRoot, App.ExportSnapshot());
        }

        return result;
    }
}
