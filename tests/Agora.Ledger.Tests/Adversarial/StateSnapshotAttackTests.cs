using Agora.Core.Serialization;
using Agora.Ledger.Execution;
using Agora.Ledger.State;
using Agora.Ledger.Tests.State;
using Agora.Ledger.Transactions;
using static Agora.Ledger.Tests.State.TestChain;

namespace Agora.Ledger.Tests.Adversarial;

/// <summary>A hostile state encoding (snapshot file) must not smuggle in conviction above what the rules can produce.</summary>
[Trait("Category", "Adversarial")]
public class StateSnapshotAttackTests
{
    [Fact]
    public void InflatedConvictionScore_a_state_with_a_lock_score_above_one_is_refused()
    {
        var chain = Standard();
        var hot = Id(Key(101));
        Assert.True(chain.Submit(Key(4), new AddStakeBody(hot, 1, 100 * Tao, 0)).Success);
        Assert.True(chain.Submit(Key(4), new LockBody(1, hot, 10 * Tao, ConvictionRules.MinDurationBlocks)).Success);
        var l = chain.State.Locks[(Id(Key(4)), 1, hot)];
        var bytes = StateCodec.Encode(chain.State);
        Assert.NotNull(StateCodec.Decode(bytes));

        var pattern = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(pattern.AsSpan(0, 8), l.Amount);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(pattern.AsSpan(8, 8), l.EndBlock);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(pattern.AsSpan(16, 16), l.ScoreQ64);
        var at = bytes.AsSpan().IndexOf(pattern);
        Assert.True(at >= 0, "the lock's encoding was not found");
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(bytes.AsSpan(at + 16, 16), PoolMath.OneQ64 * 2);

        var e = Assert.Throws<EncodingException>(() => StateCodec.Decode(bytes));
        Assert.Contains("above 1.0", e.Message, StringComparison.Ordinal);
    }
}
