using Agora.Artifacts;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Roles;

/// <summary>
/// A validator restarted from its state directory carries on exactly as if it had never stopped, and one that crashed
/// after publishing a window but before saving it re-scores that window to the same result without applying it twice.
/// </summary>
public sealed class ValidatorRestartTests
{
    private sealed record Outcome(float[] Theta, byte[] Ratings, (ulong, double)[] Losses, float[][] MinerThetas, byte[] LastBlockHash);

    private static async Task<Outcome> RunAsync(string dir, bool restart)
    {
        using var subnet = new SubnetHarness("vrestart", "vr", minerCount: 2, innerSteps: 2, directory: dir);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var validator = subnet.NewValidator();

        // Restarts right after a window was scored (block 38 scores window 3) and mid-window before a deadline (45).
        await subnet.RunBlocks(38, () => validator, miners);
        if (restart)
        {
            Assert.Equal(3UL, validator.Status.ScoredWindow);
            validator = subnet.NewValidator();
        }

        await subnet.RunBlocks(7, () => validator, miners);
        if (restart)
        {
            validator = subnet.NewValidator();
        }

        await subnet.RunBlocks(20, () => validator, miners);
        Assert.Equal(5UL, validator.Status.ScoredWindow);
        return new Outcome(validator.Theta.ToArray(), validator.GauntletState!.Serialize(), [.. validator.Status.LossHistory],
            [.. miners.Select(m => m.Theta.ToArray())], subnet.Ledger.BlockHash(subnet.Ledger.Height)!);
    }

    [Fact]
    public async Task A_restarted_validator_ends_bit_identical_to_an_uninterrupted_twin()
    {
        // The same directory for both runs: store locations go on chain, so the twins' chains are identical too.
        var dir = Path.Combine(Path.GetTempPath(), "agora-vtwin-" + Guid.NewGuid().ToString("N"));
        var straight = await RunAsync(dir, restart: false);
        var restarted = await RunAsync(dir, restart: true);

        Assert.True(straight.Ratings.Length > 20 + 48, "the validator rated the miners");
        Assert.Equal(straight.Ratings, restarted.Ratings);
        Assert.Equal(straight.Losses, restarted.Losses);
        Assert.Equal(6, restarted.Losses.Length);
        Assert.Equal(Bits(straight.Theta), Bits(restarted.Theta));
        Assert.Equal(Bits(restarted.Theta), Bits(restarted.MinerThetas[0]));
        Assert.Equal(Bits(restarted.Theta), Bits(restarted.MinerThetas[1]));

        // Same blocks: the restart sent no transaction the twin did not (no second commitment, no duplicate weights).
        Assert.Equal(straight.LastBlockHash, restarted.LastBlockHash);
    }

    [Fact]
    public async Task A_crash_after_publishing_rescores_the_window_to_the_same_selection_and_state()
    {
        using var subnet = new SubnetHarness("vcrash", "vc", minerCount: 2, innerSteps: 2);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var validator = subnet.NewValidator();
        var statePath = ValidatorRole.StatePath(subnet.ValidatorStateDirectory(0));
        var store = new FileArtifactStore(subnet.ValidatorStoreDirectory(0));

        // Block 37 is window 3's deadline: window 2 is saved, 3 is not yet scored.
        await subnet.RunBlocks(37, () => validator, miners);
        Assert.Equal(2UL, validator.Status.ScoredWindow);
        var before = File.ReadAllBytes(statePath);
        await subnet.RunBlocks(1, () => validator, miners);
        Assert.Equal(3UL, validator.Status.ScoredWindow);
        var after = File.ReadAllBytes(statePath);
        var selection = await store.GetAsync(Publication.SelectionKey(3), Publication.MaxSelectionBytes);
        var aggregate = await store.GetAsync(Publication.AggregateKey(3), 1L << 30);
        var own = validator.Status.OwnSelectedUids;
        var ratings = validator.GauntletState!.Serialize();
        Assert.NotEmpty(own);

        // "Crash" after publishing window 3 but before saving it: the state on disk is the one from before.
        File.WriteAllBytes(statePath, before);
        validator = subnet.NewValidator();
        await validator.TickAsync();
        Assert.Equal(3UL, validator.Status.ScoredWindow);
        Assert.Equal(own, validator.Status.OwnSelectedUids);
        Assert.Equal(ratings, validator.GauntletState!.Serialize());
        Assert.Equal(after, File.ReadAllBytes(statePath));
        Assert.Equal(selection, await store.GetAsync(Publication.SelectionKey(3), Publication.MaxSelectionBytes));
        Assert.Equal(aggregate, await store.GetAsync(Publication.AggregateKey(3), 1L << 30));

        // A crash after the save but before the selection went out: the restart publishes the same bytes.
        await store.DeleteAsync(Publication.SelectionKey(3));
        validator = subnet.NewValidator();
        await validator.TickAsync();
        Assert.Equal(selection, await store.GetAsync(Publication.SelectionKey(3), Publication.MaxSelectionBytes));
        Assert.Equal(after, File.ReadAllBytes(statePath));

        // The miners applied the first publication; everyone still holds the same θ once they have applied window 4.
        await subnet.RunBlocks(12, () => validator, miners);
        Assert.Equal(4UL, validator.Status.ScoredWindow);
        Assert.Equal(Bits(validator.Theta.ToArray()), Bits(miners[0].Theta.ToArray()));
        Assert.Equal(Bits(validator.Theta.ToArray()), Bits(miners[1].Theta.ToArray()));
    }

    [Fact]
    public async Task A_state_directory_in_the_two_file_layout_migrates_on_first_load_and_scores_on()
    {
        using var subnet = new SubnetHarness("vmigrate", "vm", minerCount: 2, innerSteps: 2);
        var miners = Enumerable.Range(0, 2).Select(i => subnet.NewMiner(i, MinerBehavior.Honest)).ToArray();
        var validator = subnet.NewValidator();
        var dir = subnet.ValidatorStateDirectory(0);
        var statePath = ValidatorRole.StatePath(dir);
        await subnet.RunBlocks(30, () => validator, miners);

        // Rewrite what the validator saved in the layout of earlier builds: gauntlet.state beside validator.theta.
        var saved = ValidatorStateFile.TryLoad(statePath, subnet.Setup.Layout.TotalElements)!;
        Assert.Equal(3UL, saved.NextScore);
        saved.Gauntlet.Save(Path.Combine(dir, ValidatorStateFile.LegacyGauntletFileName));
        var legacy = new byte[8 + (8 * saved.Theta.Length)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(legacy, saved.NextScore);
        Publication.EncodeVector(saved.Theta).CopyTo(legacy, 8);
        Publication.EncodeVector(saved.LastStep).CopyTo(legacy, 8 + (4 * saved.Theta.Length));
        File.WriteAllBytes(Path.Combine(dir, ValidatorStateFile.LegacyThetaFileName), legacy);
        File.Delete(statePath);

        validator = subnet.NewValidator();
        await validator.TickAsync();
        Assert.True(File.Exists(statePath));
        Assert.False(File.Exists(Path.Combine(dir, ValidatorStateFile.LegacyGauntletFileName)) || File.Exists(Path.Combine(dir, ValidatorStateFile.LegacyThetaFileName)));
        Assert.Equal(saved.Gauntlet.Serialize(), validator.GauntletState!.Serialize());
        Assert.Equal(Bits(saved.Theta), Bits(validator.Theta.ToArray()));

        await subnet.RunBlocks(10, () => validator, miners);
        Assert.Equal(3UL, validator.Status.ScoredWindow);
        Assert.Equal(3UL, validator.GauntletState!.LastWindow);
        Assert.Equal(Bits(validator.Theta.ToArray()), Bits(miners[0].Theta.ToArray()));
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
