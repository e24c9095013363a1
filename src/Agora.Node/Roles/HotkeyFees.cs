using Agora.Core.Crypto;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;

namespace Agora.Node.Roles;

/// <summary>
/// A hotkey signs the role's frequent transactions (commitments, weights) and pays their fee from its own TAO
/// balance, which registration leaves at zero. The coldkey keeps the hotkey funded: when the hotkey holds less than
/// <see cref="LowWaterTransactions"/> fees at the chain's current minimum it sends <see cref="TopUpTransactions"/>
/// fees' worth (at most once per few blocks, so a pending top-up is not sent twice).
/// </summary>
public sealed class HotkeyFees(Ed25519KeyPair coldkey, Ed25519KeyPair hotkey)
{
    public const ulong LowWaterTransactions = 50;
    public const ulong TopUpTransactions = 500;
    private ulong _sentAt = ulong.MaxValue;

    /// <summary>
    /// Tops the hotkey up if it runs low and says whether it can pay one fee now. A refused top-up (coldkey short
    /// of TAO) is not fatal: the hotkey's own transactions then fail with the ledger's message.
    /// </summary>
    public bool Ensure(ISubnetLedger ledger, ulong height)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var fee = ledger.MinTxFee;
        if (fee == 0)
        {
            return true;
        }

        var balance = ledger.Balance(hotkey.PublicKey);
        if (balance < fee * LowWaterTransactions && (_sentAt == ulong.MaxValue || height > _sentAt + 3))
        {
            try
            {
                ledger.Submit(coldkey, new TransferBody(new AccountId(hotkey.PublicKey), fee * TopUpTransactions));
                _sentAt = height;
            }
            catch (LedgerRejectedException)
            {
                _sentAt = height;
            }
        }

        return balance >= fee;
    }
}
