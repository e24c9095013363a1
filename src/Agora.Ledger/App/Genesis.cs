using Agora.Core.Serialization;
using Agora.Ledger.Execution;
using Agora.Ledger.Primitives;
using Agora.Ledger.State;

namespace Agora.Ledger.App;

/// <summary>Builds the height-0 state from a <see cref="GenesisConfig"/>, rejecting inconsistent configs with a reason.</summary>
public static class Genesis
{
    public static LedgerState Build(GenesisConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrWhiteSpace(config.ChainId) || config.ChainId.Length > 64)
        {
            throw new ArgumentException("Genesis chain id must be 1 to 64 characters.", nameof(config));
        }

        foreach (var p in GlobalParameters.All)
        {
            var error = GlobalParameters.Check(p, config.Params.Get(p));
            if (error is not null)
            {
                throw new ArgumentException($"Genesis parameter: {error}", nameof(config));
            }
        }

        var s = new LedgerState { ChainId = config.ChainId, LastTimestamp = config.GenesisTimestamp, Params = config.Params };
        ulong issued = 0;
        foreach (var (account, balance) in config.Balances)
        {
            if (s.Accounts.ContainsKey(account))
            {
                throw new ArgumentException($"Genesis lists account {account} twice.", nameof(config));
            }

            issued = checked(issued + balance);
            s.Credit(account, balance);
        }

        ushort netuid = 1;
        foreach (var g in config.Subnets)
        {
            foreach (var p in SubnetHyperparameterBounds.All)
            {
                var error = SubnetHyperparameterBounds.Check(p, g.Hyper.Get(p));
                if (error is not null)
                {
                    throw new ArgumentException($"Genesis subnet {netuid}: {error}", nameof(config));
                }
            }

            var consistency = SubnetHyperparameterBounds.CheckConsistent(g.Hyper);
            if (consistency is not null)
            {
                throw new ArgumentException($"Genesis subnet {netuid}: {consistency}", nameof(config));
            }

            if (g.LockTao < PoolMath.MinReserve)
            {
                throw new ArgumentException($"Genesis subnet {netuid}: lock {g.LockTao} rao is below the minimum pool reserve {PoolMath.MinReserve}.", nameof(config));
            }

            if (s.OwnerOf(g.OwnerHotkey) is { } owner && owner != g.OwnerColdkey)
            {
                throw new ArgumentException($"Genesis subnet {netuid}: hotkey {g.OwnerHotkey} is already owned by another coldkey.", nameof(config));
            }

            issued = checked(issued + g.LockTao);
            s.HotkeyOwners = s.HotkeyOwners.SetItem(g.OwnerHotkey, g.OwnerColdkey);
            s.SetSubnet(new Subnet(
                netuid, g.OwnerColdkey, g.OwnerHotkey, 0, 1, g.Hyper, g.LockTao, g.LockTao, g.LockTao, 0, 0, 0, 0,
                Math.Clamp(SubnetRules.InitialBurn, g.Hyper.MinBurn, g.Hyper.MaxBurn), 0, SubnetRules.NeverChanged, g.LockTao, 1));
            s.Neurons = s.Neurons.SetItem((netuid, (ushort)0), new Neuron(g.OwnerHotkey, g.OwnerColdkey, 0, 0, false, 0, 0, 0, 0, 0, 0, 0));
            s.UidByHotkey = s.UidByHotkey.SetItem((netuid, g.OwnerHotkey), 0);
            netuid++;
        }

        if ((ulong)config.Subnets.Count > config.Params.MaxSubnets)
        {
            throw new ArgumentException($"Genesis has {config.Subnets.Count} subnets; MaxSubnets is {config.Params.MaxSubnets}.", nameof(config));
        }

        if (issued > EconomicsBridge.MaxSupply)
        {
            throw new ArgumentException($"Genesis issues {issued} rao, above the 21M TAO supply.", nameof(config));
        }

        s.TotalIssuance = issued;
        s.LastBlockHash = GenesisHash(s);
        s.GenesisHash = s.LastBlockHash;
        return s;
    }

    /// <summary>The genesis hash, which is also the parent hash of block 1: BLAKE2b-256("agora-genesis" (u32 length, UTF-8) ‖
    /// chain id (u32 length, UTF-8) ‖ state root of the height-0 state). Two chains share it only if they share the whole genesis.</summary>
    public static Hash256 GenesisHash(LedgerState genesis)
    {
        var w = new CanonicalWriter(96).WriteString("agora-genesis").WriteString(genesis.ChainId).WriteHash(StateCodec.Root(genesis));
        return Hash256.Of(w.WrittenSpan);
    }
}
