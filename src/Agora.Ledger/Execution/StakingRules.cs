using Agora.Ledger.Primitives;
using Agora.Ledger.State;
using Agora.Ledger.Transactions;

namespace Agora.Ledger.Execution;

/// <summary>
/// Staking through the pool. Buy: fee = floor(tao × 33/65535) burned, Δα = α·net/(τ + net).
/// Sell: Δτ = τ·α_in/(α + α_in), then the same fee rate is taken from the TAO out (Agora pays both fees in
/// TAO so the burned fee is always TAO).
/// </summary>
public static class StakingRules
{
    public static void AddStake(LedgerState s, AccountId coldkey, AddStakeBody b, in BlockContext ctx)
    {
        var subnet = TxExecutor.RequireSubnet(s, b.Netuid);
        if (s.OwnerOf(b.Hotkey) is null)
        {
            throw new TxRejectedException(TxCode.HotkeyNotRegistered, $"Hotkey {b.Hotkey} is not registered anywhere; register it before staking to it.");
        }

        if (b.Tao == 0)
        {
            throw new TxRejectedException(TxCode.InvalidAmount, "Stake amount must be above zero.");
        }

        TxExecutor.RequireBalance(s, coldkey, b.Tao, "a stake");
        var fee = EconomicsBridge.SwapFee(b.Tao);
        var net = b.Tao - fee;
        var alphaOut = EconomicsBridge.BuyAlpha(subnet.TaoReserve, subnet.AlphaReserve, net);
        if (alphaOut == 0)
        {
            throw new TxRejectedException(TxCode.InvalidAmount, $"{b.Tao} rao buys no alpha at the current price; stake more.");
        }

        var tao = checked(subnet.TaoReserve + net);
        var alpha = subnet.AlphaReserve - alphaOut;
        var problem = PoolMath.CheckReserves(tao, alpha);
        if (problem is not null)
        {
            throw new TxRejectedException(TxCode.PoolLimit, $"Stake refused: {problem}.");
        }

        if (alphaOut < b.MinAlphaOut)
        {
            throw new TxRejectedException(TxCode.SlippageExceeded, $"The stake would buy {alphaOut} alpha, below the requested minimum {b.MinAlphaOut}.");
        }

        s.Debit(coldkey, b.Tao);
        s.TotalBurned = checked(s.TotalBurned + fee); // burned: no account receives swap fees
        s.SetSubnet(subnet with { TaoReserve = tao, AlphaReserve = alpha });
        s.AddStake(b.Hotkey, coldkey, b.Netuid, alphaOut);
    }

    public static void RemoveStake(LedgerState s, AccountId coldkey, RemoveStakeBody b, in BlockContext ctx)
    {
        var subnet = TxExecutor.RequireSubnet(s, b.Netuid);
        if (b.Alpha == 0)
        {
            throw new TxRejectedException(TxCode.InvalidAmount, "Unstake amount must be above zero.");
        }

        var staked = s.StakeOf(b.Hotkey, coldkey, b.Netuid);
        if (staked < b.Alpha)
        {
            throw new TxRejectedException(TxCode.InsufficientStake, $"Only {staked} alpha is staked by this coldkey to {b.Hotkey} on subnet {b.Netuid}.");
        }

        var locked = ConvictionRules.LockedAmount(s, coldkey, b.Netuid, b.Hotkey, ctx.Height);
        if (staked - b.Alpha < locked)
        {
            throw new TxRejectedException(TxCode.StakeLocked, $"{locked} alpha is under a conviction lock; at most {staked - locked} can be unstaked now.");
        }

        var gross = EconomicsBridge.SellAlpha(subnet.TaoReserve, subnet.AlphaReserve, b.Alpha);
        var fee = EconomicsBridge.SwapFee(gross);
        var taoOut = gross - fee;
        var tao = subnet.TaoReserve - gross;
        var alpha = checked(subnet.AlphaReserve + b.Alpha);
        var problem = PoolMath.CheckReserves(tao, alpha);
        if (problem is not null)
        {
            throw new TxRejectedException(TxCode.PoolLimit, $"Unstake refused: {problem}.");
        }

        if (taoOut < b.MinTaoOut)
        {
            throw new TxRejectedException(TxCode.SlippageExceeded, $"The unstake would return {taoOut} rao, below the requested minimum {b.MinTaoOut}.");
        }

        s.RemoveStake(b.Hotkey, coldkey, b.Netuid, b.Alpha);
        s.SetSubnet(subnet with { TaoReserve = tao, AlphaReserve = alpha });
        s.Credit(coldkey, taoOut);
        s.TotalBurned = checked(s.TotalBurned + fee); // burned: no account receives swap fees
    }
}
