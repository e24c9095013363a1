using Agora.Core.Crypto;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;

namespace Agora.Node.Roles;

/// <summary>A role's hotkey holds a UID under a coldkey other than the role's own: everything it earned would go to that
/// coldkey, so the role refuses to run.</summary>
public sealed class HotkeyOwnershipException(string message) : Exception(message);

/// <summary>What the roles do about who owns their hotkey: register it with a proof of possession, and refuse to work
/// for a neuron that another coldkey owns (e.g. one registered by a front-runner before the proof was required).</summary>
public static class HotkeyOwnership
{
    /// <summary>The registration of <paramref name="hotkey"/> under <paramref name="coldkey"/>, signed by the hotkey for this ledger's chain.</summary>
    public static RegisterBody Registration(ISubnetLedger ledger, Ed25519KeyPair coldkey, Ed25519KeyPair hotkey, ushort netuid, ulong maxBurn)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(coldkey);
        return RegisterBody.Create(hotkey, new AccountId(coldkey.PublicKey), netuid, maxBurn, ledger.ChainId, ledger.GenesisHash);
    }

    /// <summary>Throws <see cref="HotkeyOwnershipException"/> unless <paramref name="me"/> is owned by <paramref name="coldkey"/>.</summary>
    public static void Require(NeuronView me, Ed25519KeyPair coldkey, ushort netuid)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(coldkey);
        if (me.Coldkey is { } owner && owner.AsSpan().SequenceEqual(coldkey.PublicKey))
        {
            return;
        }

        var hotkey = new AccountId(me.Hotkey).ToAddress();
        var mine = new AccountId(coldkey.PublicKey).ToAddress();
        throw new HotkeyOwnershipException(me.Coldkey is { } other
            ? $"hotkey {hotkey} holds UID {me.Uid} on subnet {netuid} under coldkey {new AccountId(other).ToAddress()}, not this wallet's coldkey {mine}; its emission goes to that coldkey. Refusing to run: use a hotkey registered by this coldkey."
            : $"the ledger does not say which coldkey owns hotkey {hotkey} (UID {me.Uid} on subnet {netuid}); refusing to run without knowing the emission goes to {mine}.");
    }
}
