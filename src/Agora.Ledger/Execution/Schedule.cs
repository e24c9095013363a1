using Agora.Ledger.State;

namespace Agora.Ledger.Execution;

/// <summary>Epoch timing, as subtensor: subnet n runs its epoch at blocks where (block + n + 1) mod (tempo + 1) == 0.</summary>
public static class Schedule
{
    public static bool IsEpochBlock(ushort netuid, ushort tempo, ulong block) => (block + netuid + 1) % ((ulong)tempo + 1) == 0;

    /// <summary>Index of the epoch a block belongs to; it increments at each epoch block.</summary>
    public static ulong EpochIndex(ushort netuid, ushort tempo, ulong block) => (block + netuid + 1) / ((ulong)tempo + 1);

    /// <summary>Blocks from <paramref name="block"/> until the next epoch block (tempo + 1 on an epoch block itself).</summary>
    public static ulong BlocksUntilNextEpoch(ushort netuid, ushort tempo, ulong block)
    {
        var period = (ulong)tempo + 1;
        var r = (block + netuid + 1) % period;
        return r == 0 ? period : period - r;
    }

    public static bool IsImmune(Neuron n, SubnetHyperparameters h, ulong block) => block < n.RegisteredBlock + h.ImmunityPeriod;
}
