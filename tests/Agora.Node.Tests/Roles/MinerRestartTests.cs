using Agora.Artifacts;
using Agora.Core.Crypto;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>
/// A miner that restarts resumes exactly: θ, error feedback, AdamW moments and the trainer's step survive, so the next
/// window's payload is bit-identical to the one it would have produced without the restart; and a commitment saved but
/// not yet published when the process died is published on the next tick, while it can still count.
/// </summary>
public sealed class MinerRestartTests
{
    [Fact]
    public async Task A_miner_restarted_after_training_a_window_trains_the_next_one_bit_identically()
    {
        using var subnet = new SubnetHarness("restart", "rs", minerCount: 2, innerSteps: 3);
        using var rig = new MinerRig(subnet, "rs", 0);
        var uninterrupted = rig.NewMiner();
        var miners = new[] { uninterrupted, subnet.NewMiner(1, MinerBehavior.Honest) };
        var validator = subnet.NewValidator();

        // Window w is not the first the miner trains, so it has moments, error feedback and steps to lose.
        await MinerRig.RunUntil(subnet, validator, miners, () => uninterrupted.Status.TrainedWindow >= 2);
        var w = uninterrupted.Status.TrainedWindow!.Value;
        var afterW = File.ReadAllBytes(rig.StatePath);
        Assert.True(MinerState.TryLoad(rig.StatePath, rig.P)!.TrainerStep > 3, "the miner trained more than one window");

        await MinerRig.RunUntil(subnet, validator, miners, () => uninterrupted.Status.TrainedWindow == w + 1);
        Assert.True(subnet.Setup.Clock.IsOpen(subnet.Ledger.Height), "window w+1 is still open");
        var key = Publication.PayloadKey(w + 1, rig.Hotkey.PublicKey);
        var payload = await rig.Store.GetAsync(key, 1 << 30);
        var state = File.ReadAllBytes(rig.StatePath);
        var theta = uninterrupted.Theta.ToArray();

        // The same miner restarted right after window w: its process sees the state as saved then.
        File.WriteAllBytes(rig.StatePath, afterW);
        await rig.Store.DeleteAsync(key);
        var restarted = rig.NewMiner();
        await restarted.TickAsync();

        Assert.Equal(w + 1, restarted.Status.TrainedWindow);
        Assert.Equal(payload, await rig.Store.GetAsync(key, 1 << 30));
        Assert.Equal(theta, restarted.Theta.ToArray());
        Assert.Equal(state, File.ReadAllBytes(rig.StatePath));
    }

    [Fact]
    public async Task A_miner_killed_between_saving_and_publishing_its_commitment_publishes_it_on_the_next_tick()
    {
        using var subnet = new SubnetHarness("pending", "pd", minerCount: 2, innerSteps: 2);
        using var rig = new MinerRig(subnet, "pd", 0);
        var (w, validator, miners) = await CrashAtPublicationAsync(subnet, rig);
        var saved = MinerState.TryLoad(rig.StatePath, rig.P)!;
        Assert.Equal(w, saved.TrainedWindow);
        var pending = RoleCommitment.TryDecode(saved.PendingCommitment)!;
        Assert.Equal(w, pending.Window);
        subnet.Node.ProduceBlock();
        Assert.Equal(w - 1, rig.BoardCommitment()!.Window);

        // Restarted while the window is open: it publishes the saved commitment instead of training again.
        Assert.True(subnet.Setup.Clock.IsOpen(subnet.Ledger.Height));
        var restarted = rig.NewMiner();
        await restarted.TickAsync();
        subnet.Node.ProduceBlock();
        var published = rig.BoardCommitment()!;
        Assert.Equal(saved.PendingCommitment, published.Encode());
        var payload = await rig.Store.GetAsync(pending.Key, 1 << 30);
        Assert.Equal(pending.Digest, payload[^(Agora.SparseLoCo.Wire.PayloadFormat.TrailerSize)..][..Agora.SparseLoCo.Wire.PayloadFormat.DigestSize]);
        var after = MinerState.TryLoad(rig.StatePath, rig.P)!;
        Assert.Null(after.PendingCommitment);
        Assert.Equal(w, after.TrainedWindow);
        Assert.Equal(saved.FirstMoment, after.FirstMoment);
        Assert.Equal(saved.Error, after.Error);
        Assert.Equal(saved.TrainerStep, after.TrainerStep);
    }

    [Fact]
    public async Task A_pending_commitment_found_after_the_deadline_is_dropped_and_the_miner_goes_on()
    {
        using var subnet = new SubnetHarness("late-pending", "lp", minerCount: 2, innerSteps: 2);
        using var rig = new MinerRig(subnet, "lp", 0);
        var (w, validator, miners) = await CrashAtPublicationAsync(subnet, rig);

        // Down until the deadline has passed: the commitment could only land late, so it is not published.
        await MinerRig.RunUntil(subnet, validator, [miners[1]], () => !subnet.Setup.Clock.IsOpen(subnet.Ledger.Height));
        var restarted = rig.NewMiner();
        await restarted.TickAsync();
        subnet.Node.ProduceBlock();
        Assert.Equal(w - 1, rig.BoardCommitment()!.Window);
        Assert.Null(MinerState.TryLoad(rig.StatePath, rig.P)!.PendingCommitment);

        await MinerRig.RunUntil(subnet, validator, [restarted, miners[1]], () => restarted.Status.TrainedWindow == w + 1);
        subnet.Node.ProduceBlock();
        Assert.Equal(w + 1, rig.BoardCommitment()!.Window);
    }

    /// <summary>Runs the rig's miner beside an honest one until it has trained a window, then lets its process "die" at
    /// the publication of the next window's (w's) commitment, while the other miner and the validator go on.</summary>
    private static async Task<(ulong W, ValidatorRole Validator, MinerRole[] Miners)> CrashAtPublicationAsync(SubnetHarness subnet, MinerRig rig)
    {
        var board = new DyingBoard(new LedgerCommitmentBoard(subnet.Ledger));
        var miners = new[] { rig.NewMiner(board), subnet.NewMiner(1, MinerBehavior.Honest) };
        var validator = subnet.NewValidator();
        await MinerRig.RunUntil(subnet, validator, miners, () => miners[0].Status.TrainedWindow >= 1);
        var w = miners[0].Status.TrainedWindow!.Value + 1;
        board.Dying = true;
        await MinerRig.RunUntil(subnet, validator, [miners[1]], () => Crashes(miners[0]));
        return (w, validator, miners);
    }

    private static bool Crashes(MinerRole miner)
    {
        try
        {
            miner.TickAsync().GetAwaiter().GetResult();
            return false;
        }
        catch (DyingBoard.Died)
        {
            return true;
        }
    }

    /// <summary>A commitment board whose publication kills the process (throws) once <see cref="Dying"/> is set.</summary>
    private sealed class DyingBoard(ICommitmentBoard inner) : ICommitmentBoard
    {
        public bool Dying { get; set; }

        public Task PublishAsync(Ed25519KeyPair hotkey, ushort netuid, byte[] data, CancellationToken cancellationToken = default) =>
            Dying ? throw new Died() : inner.PublishAsync(hotkey, netuid, data, cancellationToken);

        public Task<IReadOnlyList<BoardEntry>> ReadAsync(ushort netuid, CancellationToken cancellationToken = default) => inner.ReadAsync(netuid, cancellationToken);

        public sealed class Died : Exception;
    }
}

/// <summary>
/// Miner <c>index</c> of a <see cref="SubnetHarness"/> built by the test itself, so the test knows its state file and
/// store and can choose its commitment board. Keys are derived as the harness derives them (its genesis funds them).
/// </summary>
internal sealed class MinerRig : IDisposable
{
    private readonly SubnetHarness _subnet;
    private readonly string _dir;
    private readonly Ed25519KeyPair _coldkey;

    public MinerRig(SubnetHarness subnet, string keyPrefix, int index)
    {
        _subnet = subnet;

        // Beside the subnet's own stores, under the folder the rig's miner reads peers' stores from.
        _dir = Path.Combine(subnet.Directory, "minerrig-" + Guid.NewGuid().ToString("N"));
        _coldkey = Key($"{keyPrefix}-cold-{index}");
        Hotkey = Key($"{keyPrefix}-hot-{index}");
        Store = new FileArtifactStore(Path.Combine(_dir, "store"));
    }

    public Ed25519KeyPair Hotkey { get; }

    public FileArtifactStore Store { get; }

    public string StatePath => Path.Combine(_dir, "state", "miner.state");

    public int P => _subnet.Setup.Layout.TotalElements;

    /// <summary>A miner process over the rig's state directory; a second call is a restart.</summary>
    public MinerRole NewMiner(ICommitmentBoard? board = null, MinerBehavior behavior = MinerBehavior.Honest) =>
        new(_subnet.Setup, _subnet.Ledger, board ?? new LedgerCommitmentBoard(_subnet.Ledger), Store, _coldkey, Hotkey, Path.Combine(_dir, "state"), behavior,
            peerStores: new PeerStorePolicy(_subnet.Directory, s3: null));

    /// <summary>The miner's commitment as the ledger holds it now.</summary>
    public RoleCommitment? BoardCommitment() =>
        _subnet.Ledger.ArtifactCommitments(_subnet.Setup.Netuid).Where(e => e.Hotkey.AsSpan().SequenceEqual(Hotkey.PublicKey))
            .Select(e => RoleCommitment.TryDecode(e.Data)).SingleOrDefault();

    /// <summary>Produces blocks, ticking the validator (when given) and then the miners after each, until <paramref name="done"/> holds.</summary>
    public static async Task RunUntil(SubnetHarness subnet, ValidatorRole? validator, IReadOnlyList<MinerRole> miners, Func<bool> done, int maxBlocks = 80)
    {
        for (var b = 0; !done(); b++)
        {
            Assert.True(b < maxBlocks, $"not reached within {maxBlocks} blocks (height {subnet.Ledger.Height})");
            subnet.Node.ProduceBlock();
            if (validator is not null)
            {
                await validator.TickAsync();
            }

            foreach (var m in miners)
            {
                await m.TickAsync();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Ed25519KeyPair Key(string name) => Ed25519KeyPair.FromSeed(Blake2b.Hash256(System.Text.Encoding.UTF8.GetBytes(name)));
}
