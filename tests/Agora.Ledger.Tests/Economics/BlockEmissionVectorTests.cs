using Agora.Ledger.Economics;
using Agora.Ledger.Tests.Consensus;

namespace Agora.Ledger.Tests.Economics;

public class BlockEmissionVectorTests
{
    [Fact]
    public void Every_tv8_case_matches_emission_and_intermediates_exactly()
    {
        using var doc = YumaVectors.Load("tv8_block_emission.json");
        Assert.Equal("block-emission/1", doc.RootElement.GetProperty("format").GetString());
        var constants = doc.RootElement.GetProperty("constants");
        Assert.Equal(BlockEmission.TotalSupply, constants.GetProperty("total_supply").GetUInt64());
        Assert.Equal(BlockEmission.DefaultBlockEmission, constants.GetProperty("default_block_emission").GetUInt64());
        var count = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var issuance = c.GetProperty("issuance").GetUInt64();
            var detail = BlockEmission.Evaluate(issuance);
            Assert.True(c.GetProperty("expected_emission").GetUInt64() == detail.Emission, $"issuance {issuance}: expected {c.GetProperty("expected_emission")}, got {detail.Emission}");
            Assert.Equal(detail.Emission, BlockEmission.ForIssuance(issuance));
            if (c.GetProperty("branch").GetString() == "log2")
            {
                Assert.Equal(c.GetProperty("q_bits").GetInt64(), (long)detail.Q.Bits);
                Assert.Equal(c.GetProperty("log2_bits").GetInt64(), (long)detail.Log2.Bits);
                Assert.Equal(c.GetProperty("k").GetInt32(), detail.Halvings);
            }
            else
            {
                Assert.True(issuance >= BlockEmission.TotalSupply);
            }

            count++;
        }

        Assert.Equal(149, count);
    }

    [Fact]
    public void Emission_never_increases_as_issuance_grows()
    {
        var previous = ulong.MaxValue;
        for (var issuance = 0UL; issuance < BlockEmission.TotalSupply + 1_000_000_000UL; issuance += 7_919_000_000_000UL)
        {
            var emission = BlockEmission.ForIssuance(issuance);
            Assert.True(emission <= previous, $"emission rose at issuance {issuance}");
            previous = emission;
        }

        Assert.Equal(0UL, BlockEmission.ForIssuance(ulong.MaxValue));
    }
}
