using Agora.Core.Crypto;
using Agora.Gauntlet.Acceptance;
using Agora.Ledger.Primitives;
using Agora.Ledger.Transactions;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles.Adversarial;

/// <summary>
/// Registered miners whose commitments name hostile store URIs (a scheme nobody serves, S3 without credentials,
/// /proc, a directory outside the peer store root, a symbolic link out of it, a directory that does not exist yet)
/// beside two honest miners: the validator and the honest miners keep running, each hostile miner is invalid (weight 0)
/// in every window, the honest ones are scored, and no directory is created anywhere.
/// </summary>
[Trait("Category", "Adversarial")]
public sealed class HostileStoreUriTests : IDisposable
{
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "agora-hostile-outside-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Hostile_store_uris_in_commitments_do_not_crash_peers_create_directories_or_earn()
    {
        using var subnet = new SubnetHarness("hostileuri", "hu", minerCount: 8, innerSteps: 2);
        Directory.CreateDirectory(_outside);
        var escape = Path.Combine(subnet.Directory, "escape-link");
        Directory.CreateSymbolicLink(escape, _outside);
        var notYetInside = Path.Combine(subnet.Directory, "not-yet", "deeper");
        var notYetOutside = Path.Combine(_outside, "created-by-a-peer");
        string[] uris =
        [
            "ftp://x",
            "s3://bucket",
            "file:///proc/self/fd",
            new Uri(_outside).AbsoluteUri,
            new Uri(escape).AbsoluteUri,
            new Uri(notYetInside).AbsoluteUri,
        ];

        var honest = new[] { subnet.NewMiner(0, MinerBehavior.Honest), subnet.NewMiner(1, MinerBehavior.Honest) };
        var hostile = uris.Select((u, i) => new HostileCommitter(subnet, 2 + i, u)).ToArray();
        var validator = subnet.NewValidator(0);
        for (var b = 0; b < 45; b++)
        {
            subnet.Node.ProduceBlock();
            await validator.TickAsync();
            foreach (var m in honest)
            {
                await m.TickAsync();
            }

            foreach (var h in hostile)
            {
                h.Tick();
            }
        }

        Assert.True(validator.Status.ScoredWindow >= 2, $"the validator scored up to window {validator.Status.ScoredWindow}");
        Assert.All(hostile, h => Assert.True(h.Committed > 0, $"{h.Uri} never committed"));
        var rows = validator.Status.Miners.ToDictionary(r => r.Uid);
        foreach (var h in hostile)
        {
            var row = rows[h.Uid(subnet)];
            Assert.True(row.Reason != RejectionReason.None && row.Weight == 0, $"{h.Uri}: {row.Reason} {row.Message} weight {row.Weight}");
        }

        foreach (var m in honest)
        {
            var row = rows[(uint)m.Status.Uid!.Value];
            Assert.Equal(RejectionReason.None, row.Reason);
            Assert.Equal(validator.Theta.ToArray(), m.Theta.ToArray());
        }

        Assert.False(Directory.Exists(Path.Combine(subnet.Directory, "not-yet")), "a peer created the directory a hostile commitment named");
        Assert.False(Directory.Exists(notYetOutside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
    }

    [Fact]
    public async Task The_hostile_uri_devnet_adversary_is_invalid_every_window_and_creates_nothing()
    {
        using var subnet = new SubnetHarness("hostileadv", "ha", minerCount: 3, innerSteps: 2);
        MinerRole[] miners = [subnet.NewMiner(0, MinerBehavior.Honest), subnet.NewMiner(1, MinerBehavior.Honest), subnet.NewMiner(2, MinerBehavior.HostileUri)];
        var validator = subnet.NewValidator();
        await subnet.RunBlocks(45, () => validator, miners);

        Assert.True(miners[2].Status.TrainedWindow >= 3, $"the hostile miner committed up to window {miners[2].Status.TrainedWindow}");
        var rows = validator.Status.Miners.ToDictionary(r => r.Uid);
        var hostile = rows[(uint)miners[2].Status.Uid!.Value];
        Assert.True(hostile.Reason != RejectionReason.None && hostile.Weight == 0, $"{hostile.Reason} weight {hostile.Weight}");
        Assert.All(miners.Take(2), m => Assert.Equal(RejectionReason.None, rows[(uint)m.Status.Uid!.Value].Reason));
        Assert.False(Directory.Exists("/tmp/agora-hostile-uri"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_outside, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A registered miner that commits every window to a payload in the store <see cref="Uri"/> names.</summary>
    private sealed class HostileCommitter(SubnetHarness subnet, int index, string uri)
    {
        private readonly (Ed25519KeyPair Cold, Ed25519KeyPair Hot) _keys = subnet.MinerKeys(index);
        private readonly HotkeyFees _fees = new(subnet.MinerKeys(index).Cold, subnet.MinerKeys(index).Hot);
        private ulong _sentAt = ulong.MaxValue;
        private ulong? _window;

        public string Uri => uri;

        public int Committed { get; private set; }

        public uint Uid(SubnetHarness s) => s.Ledger.Neurons(1).Single(n => n.Hotkey.AsSpan().SequenceEqual(_keys.Hot.PublicKey)).Uid;

        public void Tick()
        {
            var ledger = subnet.Ledger;
            var height = ledger.Height;
            if (!ledger.Neurons(1).Any(n => n.Hotkey.AsSpan().SequenceEqual(_keys.Hot.PublicKey)))
            {
                if (_sentAt == ulong.MaxValue || height > _sentAt + 3)
                {
                    ledger.Submit(_keys.Cold, HotkeyOwnership.Registration(ledger, _keys.Cold, _keys.Hot, 1, 1_000 * 1_000_000_000UL));
                    _sentAt = height;
                }

                return;
            }

            // Its hotkey pays the fees of its commitments, as a miner's does.
            if (!_fees.Ensure(ledger, height))
            {
                return;
            }

            var window = subnet.Setup.Clock.WindowOf(height);
            if (_window != window && subnet.Setup.Clock.IsOpen(height))
            {
                var key = Publication.PayloadKey(window, _keys.Hot.PublicKey);
                var data = new RoleCommitment(RoleKind.Miner, window, Blake2b.Hash256(_keys.Hot.PublicKey), [], uri, key).Encode();
                subnet.Board.PublishAsync(_keys.Hot, 1, data).GetAwaiter().GetResult();
                _window = window;
                Committed++;
            }
        }
    }
}
