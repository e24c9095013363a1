using System.Numerics;
using Agora.Ledger.Economics;
using Agora.Ledger.Tests.Consensus;

namespace Agora.Ledger.Tests.Economics;

public class BalancerSwapVectorTests
{
    [Fact]
    public void Every_tv7_swap_has_the_exact_fee_and_net_input_and_an_output_within_tolerance()
    {
        using var doc = YumaVectors.Load("tv7_swap.json");
        Assert.Equal("balancer-swap/1", doc.RootElement.GetProperty("format").GetString());
        var swaps = doc.RootElement.GetProperty("swaps").EnumerateArray().ToArray();
        Assert.Equal(8, swaps.Length);
        foreach (var s in swaps)
        {
            var order = s.GetProperty("order").GetString() == "buy" ? SwapOrder.Buy : SwapOrder.Sell;
            var amount = s.GetProperty("amount_in").GetUInt64();
            var result = BalancerSwap.Swap(
                order,
                amount,
                s.GetProperty("tao_reserve").GetUInt64(),
                s.GetProperty("alpha_reserve").GetUInt64(),
                s.GetProperty("quote_weight_perquintill").GetUInt64(),
                s.GetProperty("fee_rate_u16").GetUInt16());
            Assert.Equal(s.GetProperty("expected_fee").GetUInt64(), result.Fee);
            Assert.Equal(s.GetProperty("expected_net_in").GetUInt64(), result.NetIn);
            Within(s.GetProperty("expected_out").GetUInt64(), result.AmountOut, s.GetProperty("tolerance_out").GetUInt64(), $"{order} {amount}");
            FloorOfReal(s.GetProperty("out_real").GetString()!, result.AmountOut, $"{order} {amount}");
        }
    }

    [Fact]
    public void Every_tv7_convert_delta_is_within_tolerance_in_both_directions()
    {
        using var doc = YumaVectors.Load("tv7_swap.json");
        var cases = doc.RootElement.GetProperty("convert_deltas").EnumerateArray().ToArray();
        Assert.Equal(60, cases.Length);
        foreach (var c in cases)
        {
            var tao = c.GetProperty("tao_reserve").GetUInt64();
            var alpha = c.GetProperty("alpha_reserve").GetUInt64();
            var weight = c.GetProperty("quote_weight_perquintill").GetUInt64();
            var delta = c.GetProperty("delta_in").GetUInt64();
            var tolerance = c.GetProperty("tolerance").GetUInt64();
            var label = $"y={tao} x={alpha} w={weight} delta={delta}";
            var sell = BalancerSwap.ConvertDelta(SwapOrder.Sell, delta, tao, alpha, weight);
            var buy = BalancerSwap.ConvertDelta(SwapOrder.Buy, delta, tao, alpha, weight);
            Within(c.GetProperty("expected_sell_tao_out").GetUInt64(), sell, tolerance, "sell " + label);
            Within(c.GetProperty("expected_buy_alpha_out").GetUInt64(), buy, tolerance, "buy " + label);
            FloorOfReal(c.GetProperty("sell_real").GetString()!, sell, "sell " + label);
            FloorOfReal(c.GetProperty("buy_real").GetString()!, buy, "buy " + label);
        }
    }

    [Fact]
    public void Default_fee_is_33_parts_in_65535_floored()
    {
        Assert.Equal(0UL, BalancerSwap.Fee(1985, 33));
        Assert.Equal(1UL, BalancerSwap.Fee(1986, 33));
        Assert.Equal((ulong)((BigInteger)ulong.MaxValue * ((BigInteger.One << 64) * 33 / 65535) >> 64), BalancerSwap.Fee(ulong.MaxValue, 33));
    }

    [Fact]
    public void Equal_weights_give_the_constant_product_output()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var y = (ulong)random.NextInt64(1, 1L << 50);
            var x = (ulong)random.NextInt64(1, 1L << 50);
            var dy = (ulong)random.NextInt64(1, 1L << 50);
            var exact = (BigInteger)x * dy / ((BigInteger)y + dy);
            var got = BalancerSwap.ConvertDelta(SwapOrder.Buy, dy, y, x, BalancerSwap.Perquintill / 2);
            // The 10^18-scaled power and the U64F64 step can each lose one unit.
            Assert.InRange((BigInteger)got, exact - 2, exact);
        }
    }

    [Fact]
    public void Invalid_weights_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BalancerSwap.ConvertDelta(SwapOrder.Buy, 1, 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BalancerSwap.ConvertDelta(SwapOrder.Buy, 1, 1, 1, BalancerSwap.Perquintill));
    }

    /// <summary>floor of a non-negative decimal such as "1363.63", "0.5" or "9.99e-7".</summary>
    private static BigInteger FloorOfDecimal(string text)
    {
        var parts = text.Split('e', 'E');
        var exponent = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var mantissa = parts[0].Split('.');
        var fraction = mantissa.Length > 1 ? mantissa[1] : "";
        var digits = BigInteger.Parse(mantissa[0] + fraction, System.Globalization.CultureInfo.InvariantCulture);
        var scale = exponent - fraction.Length;
        return scale >= 0 ? digits * BigInteger.Pow(10, scale) : digits / BigInteger.Pow(10, -scale);
    }

    private static void Within(ulong expected, ulong actual, ulong tolerance, string label)
    {
        var diff = expected > actual ? expected - actual : actual - expected;
        Assert.True(diff <= tolerance, $"{label}: expected {expected} ± {tolerance}, got {actual}");
    }

    /// <summary>The power is floored at scale 10^18 and the payout through U64F64, so the result is floor(real), one
    /// below it, or (when the power underflows 10^-18, as for a near-empty input reserve) one above it.</summary>
    private static void FloorOfReal(string real, ulong actual, string label)
    {
        var integerPart = FloorOfDecimal(real);
        Assert.True(BigInteger.Abs(actual - integerPart) <= 1, $"{label}: real value {real}, got {actual}");
    }
}
