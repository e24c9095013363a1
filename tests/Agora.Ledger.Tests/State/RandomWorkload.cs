using Agora.Core.Crypto;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.State;

/// <summary>Seeded random transactions of every kind, valid and invalid, for property tests.</summary>
internal sealed class RandomWorkload
{
    private readonly Random _rng;
    private readonly TestChain _chain;
    private readonly Dictionary<byte, ulong> _nonces = [];

    public RandomWorkload(TestChain chain, int seed)
    {
        _chain = chain;
        _rng = new Random(seed);
    }

    private Ed25519KeyPair Coldkey(out byte n)
    {
        n = (byte)_rng.Next(1, 10);
        return Key(n);
    }

    private byte HotkeyIndex() => (byte)_rng.Next(101, 113);

    private ushort Netuid() => (ushort)_rng.Next(1, 4);

    private ulong Amount(ulong max) => (ulong)_rng.NextInt64(1, (long)max);

    public byte[][] NextBlock()
    {
        _nonces.Clear();
        var count = _rng.Next(0, 6);
        var txs = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            txs.Add(NextTx());
        }

        return [.. txs];
    }

    private byte[] Signed(Ed25519KeyPair k, byte index, TxBody body)
    {
        var committed = _chain.NextNonce(k);
        var next = _nonces.TryGetValue(index, out var n) && n > committed ? n : committed;
        // Mostly the expected nonce; sometimes stale or future ones to exercise rejections.
        var roll = _rng.Next(20);
        var nonce = roll == 0 ? next + 3 : roll == 1 && next > 0 ? next - 1 : next;
        if (nonce == next)
        {
            _nonces[index] = nonce + 1;
        }

        return _chain.Sign(k, body, nonce: nonce, fee: index > 100 ? 0 : (ulong)_rng.Next(0, 3));
    }

    private byte[] NextTx()
    {
        var s = _chain.State;
        var cold = Coldkey(out var ci);
        var hotIndex = HotkeyIndex();
        var hot = Id(Key(hotIndex));
        var netuid = Netuid();
        switch (_rng.Next(13))
        {
            case 0:
                return Signed(cold, ci, new TransferBody(Id(Key((byte)_rng.Next(1, 12))), Amount(_rng.Next(10) == 0 ? 20_000 * Tao : 50 * Tao)));
            case 1:
                return Signed(cold, ci, Reg(netuid, hot, 5 * Tao));
            case 2:
            case 3:
                return Signed(cold, ci, new AddStakeBody(hot, netuid, Amount(300 * Tao), 0));
            case 4:
            {
                var staked = s.StakeOf(hot, Id(cold), netuid);
                var amount = staked == 0 ? Amount(Tao) : Amount(staked + 1);
                return Signed(cold, ci, new RemoveStakeBody(hot, netuid, amount, 0));
            }

            case 5:
            {
                var n = _rng.Next(1, 5);
                var uids = Enumerable.Range(0, n).Select(_ => (ushort)_rng.Next(0, 6)).ToArray();
                var values = uids.Select(_ => (ushort)_rng.Next(0, 65_536)).ToArray();
                return Signed(Key(hotIndex), hotIndex, new SetWeightsBody(netuid, [.. uids], [.. values], 0));
            }

            case 6:
                return Signed(cold, ci, NewSubnet(hot, 2_000 * Tao));
            case 7:
            {
                var staked = s.StakeOf(hot, Id(cold), netuid);
                return Signed(cold, ci, new LockBody(netuid, hot, staked == 0 ? 1 : Amount(staked + 1),
                    _rng.Next(2) == 0 ? (ulong)_rng.Next(0, 500) : Agora.Ledger.Execution.ConvictionRules.MinDurationBlocks + (ulong)_rng.Next(0, 500)));
            }

            case 8:
                return Signed(cold, ci, new ProposeBody((GlobalParameter)_rng.Next(1, 12), (ulong)_rng.Next(0, 300)));
            case 9:
                return Signed(cold, ci, new VoteBody((ulong)_rng.Next(1, 4), _rng.Next(2) == 0));
            case 10:
            {
                var p = (SubnetHyperparameter)_rng.Next(1, 21);
                return Signed(cold, ci, new SetHyperparameterBody(netuid, p, (ulong)_rng.Next(0, 70_000)));
            }

            case 11:
            {
                var hash = WeightCommitHash.Compute(hot, netuid, [0], [1], [1, 2]);
                return Signed(Key(hotIndex), hotIndex, new CommitWeightsBody(netuid, hash));
            }

            default:
                return Signed(Key(hotIndex), hotIndex, new RevealWeightsBody(netuid, [0], [1], [1, 2], 0));
        }
    }
}
