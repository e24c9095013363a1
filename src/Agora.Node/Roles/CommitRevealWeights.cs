using System.Buffers.Binary;
using System.Collections.Immutable;
using Agora.Core.Crypto;
using Agora.Gauntlet;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;

namespace Agora.Node.Roles;

/// <summary>
/// The Gauntlet's ledger port: each window's weights are committed by hash; earlier commits are revealed, oldest first,
/// once the ledger accepts the reveal (its reveal epoch has come). Salts derive from the hotkey's secret seed and the
/// window, so a restarted validator can still reveal what it committed; pending commits are kept in a small file.
/// </summary>
public sealed class CommitRevealWeights(ISubnetLedger ledger, Ed25519KeyPair hotkey, ushort netuid, string pendingPath) : IWeightSink
{
    private const int MaxPending = 8;

    public int Commits { get; private set; }

    public int Reveals { get; private set; }

    public string? LastError { get; private set; }

    public void SetWeights(ulong window, IReadOnlyList<UidWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var pending = Load();
        var kept = new List<(ulong Window, ushort[] Uids, ushort[] Values)>();
        foreach (var p in pending)
        {
            try
            {
                ledger.Submit(hotkey, new RevealWeightsBody(netuid, [.. p.Uids], [.. p.Values], [.. Salt(p.Window)], 0));
                Reveals++;
            }
            catch (LedgerRejectedException e)
            {
                LastError = e.Message;
                if (e.Message.Contains("can be revealed in epoch", StringComparison.Ordinal))
                {
                    kept.Add(p);
                }
            }
        }

        var positive = weights.Where(w => w.Weight > 0).OrderBy(w => w.Uid).ToList();
        if (positive.Count > 0 && kept.Count < MaxPending)
        {
            var uids = positive.Select(w => (ushort)w.Uid).ToArray();
            var values = positive.Select(w => w.Weight).ToArray();
            try
            {
                ledger.Submit(hotkey, new CommitWeightsBody(netuid, WeightCommitHash.Compute(new AccountId(hotkey.PublicKey), netuid, uids, values, Salt(window))));
                kept.Add((window, uids, values));
                Commits++;
            }
            catch (LedgerRejectedException e)
            {
                LastError = e.Message;
            }
        }

        Save(kept);
    }

    private byte[] Salt(ulong window)
    {
        var material = new byte[32 + 8 + 8];
        hotkey.ExportSeed().CopyTo(material, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(material.AsSpan(32), window);
        "wsalt-v1"u8.CopyTo(material.AsSpan(40));
        return Blake2b.Hash256(material);
    }

    private List<(ulong Window, ushort[] Uids, ushort[] Values)> Load()
    {
        var list = new List<(ulong, ushort[], ushort[])>();
        if (!File.Exists(pendingPath))
        {
            return list;
        }

        foreach (var line in File.ReadAllLines(pendingPath))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || !ulong.TryParse(parts[0], out var w))
            {
                continue;
            }

            var uids = parts[1].Split(',').Select(ushort.Parse).ToArray();
            var values = parts[2].Split(',').Select(ushort.Parse).ToArray();
            list.Add((w, uids, values));
        }

        return list;
    }

    private void Save(List<(ulong Window, ushort[] Uids, ushort[] Values)> pending)
    {
        AtomicFile.Write(pendingPath, f =>
        {
            using var w = new StreamWriter(f, leaveOpen: true);
            foreach (var p in pending)
            {
                w.WriteLine($"{p.Window} {string.Join(',', p.Uids)} {string.Join(',', p.Values)}");
            }
        });
    }
}
