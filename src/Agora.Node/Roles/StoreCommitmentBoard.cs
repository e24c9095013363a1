using System.Buffers.Binary;
using Agora.Artifacts;
using Agora.Core.Crypto;

namespace Agora.Node.Roles;

/// <summary>
/// An <see cref="ICommitmentBoard"/> kept in a shared artifact store: one signed object per (netuid, hotkey), stamped
/// with the next block height. The signature binds hotkey, netuid, block and data; entries that fail it are ignored.
/// Unlike a ledger transaction the block stamp is the writer's claim, which is why the ledger version replaces it.
/// Object layout: block u64 LE ‖ data length u16 LE ‖ data ‖ Ed25519 signature (64).
/// </summary>
public sealed class StoreCommitmentBoard(IArtifactStore store, ISubnetLedger ledger) : ICommitmentBoard
{
    private const int MaxObjectBytes = 8 + 2 + ICommitmentBoard.MaxDataBytes + 64;

    public async Task PublishAsync(Ed25519KeyPair hotkey, ushort netuid, byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hotkey);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length > ICommitmentBoard.MaxDataBytes)
        {
            throw new ArgumentException($"A commitment holds at most {ICommitmentBoard.MaxDataBytes} bytes, got {data.Length}.", nameof(data));
        }

        var block = ledger.Height + 1;
        var bytes = new byte[10 + data.Length + 64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, block);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)data.Length);
        data.CopyTo(bytes.AsSpan(10));
        hotkey.Sign(SigningMessage(hotkey.PublicKey, netuid, block, data)).CopyTo(bytes.AsSpan(10 + data.Length));
        await store.PutAsync(Key(netuid, hotkey.PublicKey), bytes, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BoardEntry>> ReadAsync(ushort netuid, CancellationToken cancellationToken = default)
    {
        var prefix = $"commitments/{netuid}/";
        var entries = new List<BoardEntry>();
        foreach (var key in await store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            byte[] hotkey;
            try
            {
                hotkey = Convert.FromHexString(key[prefix.Length..]);
            }
            catch (FormatException)
            {
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = await store.GetAsync(key, MaxObjectBytes, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ArtifactStoreException)
            {
                continue;
            }

            if (Parse(hotkey, netuid, bytes) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static BoardEntry? Parse(byte[] hotkey, ushort netuid, byte[] bytes)
    {
        if (hotkey.Length != 32 || bytes.Length < 10 + 64)
        {
            return null;
        }

        var block = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        if (length > ICommitmentBoard.MaxDataBytes || bytes.Length != 10 + length + 64)
        {
            return null;
        }

        var data = bytes.AsSpan(10, length).ToArray();
        return Ed25519.Verify(hotkey, SigningMessage(hotkey, netuid, block, data), bytes.AsSpan(10 + length))
            ? new BoardEntry(hotkey, data, block)
            : null;
    }

    private static string Key(ushort netuid, byte[] hotkey) => $"commitments/{netuid}/{Convert.ToHexStringLower(hotkey)}";

    private static byte[] SigningMessage(byte[] hotkey, ushort netuid, ulong block, byte[] data)
    {
        var message = new byte[12 + 32 + 2 + 8 + data.Length];
        "agora-board/"u8.CopyTo(message);
        hotkey.CopyTo(message, 12);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(44), netuid);
        BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(46), block);
        data.CopyTo(message, 54);
        return message;
    }
}
