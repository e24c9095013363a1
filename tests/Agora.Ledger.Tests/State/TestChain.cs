using System.Collections.Immutable;
using Agora.Core.Crypto;
using Agora.Ledger.App;
using Agora.Ledger.Blocks;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Tests.State;

/// <summary>A solo-producer chain for tests: deterministic keys from seeds, signed transactions, one block per call.</summary>
internal sealed class TestChain
{
    public const ulong Tao = 1_000_000_000;
    public const string ChainId = "agora-test";

    public LedgerApp App { get; }
    public List<Block> Log { get; } = [];
    public GenesisConfig Genesis { get; }
    public Ed25519KeyPair Producer { get; } = Key(250);
    private ulong _time = 1_000;

    public TestChain(GenesisConfig genesis)
    {
        Genesis = genesis;
        App = LedgerApp.FromGenesis(genesis);
    }

    private TestChain(GenesisConfig genesis, LedgerApp app, ulong time)
    {
        Genesis = genesis;
        App = app;
        _time = time;
    }

    /// <summary>An independent copy of this chain at its current height (restored from a snapshot), without the block log.</summary>
    public TestChain Fork() => new(Genesis, LedgerApp.FromSnapshot(App.ExportSnapshot()), _time);

    public LedgerState State => App.State;

    private static readonly Lazy<Ed25519KeyPair>[] Keys = Enumerable.Range(0, 256).Select(n => new Lazy<Ed25519KeyPair>(() =>
    {
        var seed = new byte[32];
        seed[0] = (byte)n;
        seed[31] = 0xA5;
        return Ed25519KeyPair.FromSeed(seed);
    })).ToArray();

    public static Ed25519KeyPair Key(byte n) => Keys[n].Value;

    public static AccountId Id(Ed25519KeyPair k) => new(k.PublicKey);

    /// <summary>Genesis with coldkeys 1..9 funded (10,000 TAO each) and one subnet (owner key 1, hotkey 101), commit-reveal off, tempo 9.</summary>
    public static TestChain Standard(Func<SubnetHyperparameters, SubnetHyperparameters>? hyper = null, GlobalParameters? parameters = null, int subnets = 1)
    {
        var h = new SubnetHyperparameters { Tempo = 9, CommitRevealEnabled = false, WeightsRateLimit = 2, ImmunityPeriod = 20, ActivityCutoff = 1_000 };
        h = hyper?.Invoke(h) ?? h;
        var balances = Enumerable.Range(1, 9).Select(i => (Id(Key((byte)i)), 10_000 * Tao)).ToList();
        var list = Enumerable.Range(0, subnets).Select(i => new GenesisSubnet(Id(Key((byte)(1 + i))), Id(Key((byte)(101 + i))), 100 * Tao, h)).ToList();
        return new TestChain(new GenesisConfig
        {
            ChainId = ChainId,
            GenesisTimestamp = 1_000,
            Balances = balances,
            Params = parameters ?? new GlobalParameters { MinTxFee = 0, MinLockCost = 100 * Tao, SubnetImmunityBlocks = 10, GovernanceVotingPeriod = 20, GovernanceTimelock = 10 },
            Subnets = list,
        });
    }

    public ulong NextNonce(Ed25519KeyPair k) => App.State.GetAccount(Id(k)).Nonce;

    /// <summary>Signs for this chain (or <paramref name="chainId"/> / <paramref name="genesisHash"/>), valid for
    /// <see cref="Transaction.DefaultValidityBlocks"/> blocks unless <paramref name="validUntil"/> is given. A registration made
    /// with <see cref="Reg"/> gets its hotkey proof here, signed by the test key that is that hotkey.</summary>
    public byte[] Sign(Ed25519KeyPair k, TxBody body, ulong? nonce = null, ulong fee = 0, string chainId = ChainId, Hash256? genesisHash = null, ulong? validUntil = null)
    {
        var genesis = genesisHash ?? App.GenesisHash;
        if (body is RegisterBody { HotkeyProof.IsDefault: true } r)
        {
            body = RegisterBody.Create(KeyOf(r.Hotkey), Id(k), r.Netuid, r.MaxBurn, chainId, genesis);
        }
        else if (body is CreateSubnetBody { HotkeyProof.IsDefault: true } c)
        {
            body = CreateSubnetBody.Create(KeyOf(c.Hotkey), Id(k), c.MaxLockCost, chainId, genesis);
        }

        return new Transaction(Id(k), nonce ?? NextNonce(k), body, fee, validUntil ?? Transaction.DefaultValidUntil(App.Height)).Sign(k, chainId, genesis).ToBytes();
    }

    /// <summary>A registration whose hotkey proof <see cref="Sign"/> fills in (the hotkey must be a test key).</summary>
    public static RegisterBody Reg(ushort netuid, AccountId hotkey, ulong maxBurn) => new(netuid, hotkey, maxBurn, default);

    /// <summary>A subnet creation whose hotkey proof <see cref="Sign"/> fills in (the hotkey must be a test key).</summary>
    public static CreateSubnetBody NewSubnet(AccountId hotkey, ulong maxLockCost) => new(hotkey, maxLockCost, default);

    /// <summary>The test key whose public key is <paramref name="id"/>.</summary>
    public static Ed25519KeyPair KeyOf(AccountId id)
    {
        for (var n = 0; n < Keys.Length; n++)
        {
            if (Keys[n].Value.PublicKey.AsSpan().SequenceEqual(id.ToBytes()))
            {
                return Keys[n].Value;
            }
        }

        throw new ArgumentException($"{id} is not a test key.", nameof(id));
    }

    public BlockHeader NextHeader()
    {
        _time += 1_000;
        return new BlockHeader(App.Height + 1, App.LastBlockHash, _time, Id(Producer));
    }

    public FinalizeBlockResult Produce(params byte[][] txs)
    {
        var result = App.FinalizeBlock(NextHeader(), txs);
        App.Commit();
        Log.Add(result.Block);
        return result;
    }

    /// <summary>Signs and includes one transaction in its own block and returns its receipt.</summary>
    public TxReceipt Submit(Ed25519KeyPair k, TxBody body, ulong fee = 0) => Produce(Sign(k, body, fee: fee)).Receipts[0];

    public void Blocks(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Produce();
        }
    }

    public static ImmutableArray<ushort> U16(params ushort[] v) => [.. v];

    public Hash256 Root => App.StateRoot;

    /// <summary>TAO: issuance = Σ balances + Σ pool TAO reserves + burned + bonds in escrow. Alpha per subnet: issuance = reserve + Σ hotkey alpha + pending.</summary>
    public static void AssertConservation(LedgerState s)
    {
        UInt128 balances = 0;
        foreach (var a in s.Accounts.Values)
        {
            balances += a.Balance;
        }

        UInt128 pools = 0;
        foreach (var sn in s.Subnets.Values)
        {
            pools += sn.TaoReserve;
            UInt128 staked = 0;
            foreach (var (key, h) in s.HotkeyAlpha)
            {
                if (key.Netuid == sn.Netuid)
                {
                    staked += h.Alpha;
                }
            }

            Assert.Equal((UInt128)sn.AlphaIssuance, sn.AlphaReserve + staked + sn.PendingOwner + sn.PendingServer + sn.PendingValidator);
        }

        UInt128 bonds = 0;
        foreach (var p in s.Proposals.Values)
        {
            bonds += p.Status == ProposalStatus.Voting ? p.Bond : 0;
        }

        Assert.Equal((UInt128)s.TotalIssuance, balances + pools + s.TotalBurned + bonds);

        foreach (var (key, pool) in s.HotkeyAlpha)
        {
            UInt128 shares = 0;
            foreach (var (k2, v) in s.StakeShares)
            {
                if (k2.Hotkey == key.Hotkey && k2.Netuid == key.Netuid)
                {
                    shares += v;
                }
            }

            Assert.Equal(pool.TotalShares, shares);
        }
    }

    public static TxCode Code(TxReceipt r) => r.Code;

    public static BlockContext Context(LedgerState s) => new(s.Height + 1, s.LastTimestamp + 1, AccountId.Zero);
}
