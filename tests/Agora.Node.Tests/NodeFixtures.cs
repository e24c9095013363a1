using System.Collections.Concurrent;
using Agora.Core.Crypto;
using Agora.Ledger.App;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using Agora.Node.Ledger;

namespace Agora.Node.Tests;

/// <summary>Keys and genesis JSON shared by the node tests.</summary>
internal static class NodeFixtures
{
    public static readonly Ed25519KeyPair Alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)0xA1, 32).ToArray());
    public static readonly Ed25519KeyPair Owner = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)0x0C, 32).ToArray());
    public static readonly Ed25519KeyPair OwnerHot = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)0x0D, 32).ToArray());
    public static readonly AccountId AliceId = new(Alice.PublicKey);
    public static readonly AccountId Bob = new(Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)0xB0, 32).ToArray()).PublicKey);
    public const ulong AliceBalance = 1_000_000_000_000;

    public static string GenesisJson(string chainId = "node-test") => $$"""
        {
          "chain_id": "{{chainId}}",
          "genesis_timestamp": 1000,
          "balances": [
            { "address": "{{AliceId.ToAddress()}}", "balance": {{AliceBalance}} },
            { "address": "{{new AccountId(Owner.PublicKey).ToAddress()}}", "balance": 5000000000000 }
          ],
          "params": { "MinTxFee": 0 },
          "subnets": [
            { "owner_coldkey": "{{new AccountId(Owner.PublicKey).ToAddress()}}", "owner_hotkey": "{{new AccountId(OwnerHot.PublicKey).ToAddress()}}",
              "lock_tao": 1000000000000, "hyperparameters": { "Tempo": 10 } }
          ]
        }
        """;

    private static readonly ConcurrentDictionary<string, Hash256> GenesisHashes = new();

    /// <summary>The genesis hash of the fixture genesis with <paramref name="chainId"/>.</summary>
    public static Hash256 GenesisHash(string chainId) =>
        GenesisHashes.GetOrAdd(chainId, id => LedgerApp.FromGenesis(GenesisFile.Parse(GenesisJson(id), "test genesis")).GenesisHash);

    /// <summary>A transfer signed for the fixture chain <paramref name="chainId"/>, valid until <paramref name="validUntil"/>.</summary>
    public static byte[] Transfer(string chainId, ulong nonce, ulong amount, Ed25519KeyPair? signer = null, AccountId? to = null, ulong validUntil = 1_000_000)
    {
        signer ??= Alice;
        return new Transaction(new AccountId(signer.PublicKey), nonce, new TransferBody(to ?? Bob, amount), 0, validUntil).Sign(signer, chainId, GenesisHash(chainId)).ToBytes();
    }
}
