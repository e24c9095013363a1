using Agora.Gauntlet;
using Agora.Gauntlet.OpenSkill;
using Agora.Gauntlet.State;
using Agora.Model;
using Agora.Node.Devnet;
using Agora.Node.Roles;
using Agora.SparseLoCo;
using Agora.SparseLoCo.Wire;

namespace Agora.System.Tests;

/// <summary>The real thing on loopback: `agora node`, `agora validator` and `agora miner` as separate processes started by the devnet supervisor.</summary>
public sealed class DevnetSystemTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agora-devnet-" + Guid.NewGuid().ToString("N"));

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

    [Fact]
    public async Task Honest_miners_lower_the_held_out_loss_and_get_paid_while_a_copycat_gets_nothing()
    {
        var options = new DevnetOptions
        {
            DataDirectory = _dir,
            AgoraAssembly = Path.Combine(AppContext.BaseDirectory, "agora.dll"),
            Miners = 3,
            Adversaries = ["copycat"],
            InnerSteps = 6,
            Clock = new WindowClock(10, 7),
            BlockTime = "500ms",
            Windows = 11,
            Duration = TimeSpan.FromMinutes(4),
        };
        DevnetSnapshot? last = null;
        string? page = null;
        string? state = null;
        using var log = new StringWriter();
        using var http = new HttpClient();
        DevnetSupervisor? supervisor = null;
        supervisor = new DevnetSupervisor(options, log);
        ulong? stakeAtRestart = null;
        // The validator's own loss history restarts with its process, so the test keeps the whole run's.
        var losses = new SortedDictionary<ulong, double>();
        var gauntletPath = Path.Combine(supervisor.StateDirectory("validator"), "gauntlet.state");
        var validatorStatusPath = Path.Combine(supervisor.StateDirectory("validator"), RoleStatusFile.ValidatorFileName);
        ValidatorState? savedAtKill = null;
        ValidatorState? afterRestart = null;
        string? reportedAtKill = null;
        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        Task<IReadOnlyList<IReadOnlyList<string>>>? browser = null;
        DashboardBrowserCheck.RequireBrowser();
        var code = await supervisor.RunAsync(s =>
        {
            last = s;
            foreach (var (w, l) in s.LossHistory)
            {
                losses[w] = l;
            }

            if (browser is null && supervisor.DashboardEndpoint is { } page0)
            {
                // In Chromium concurrently with the run, so the one devnet serves both the HTTP and the browser checks.
                browser = Task.Run(() => DashboardBrowserCheck.VerifyAsync(page0, options.Miners + options.Adversaries.Count, screenshot));
            }

            if (s.LossHistory.Count >= 3 && stakeAtRestart is null)
            {
                // Kill miner1 (SIGTERM, mid-window) and start it again from its state directory.
                stakeAtRestart = s.Miners.Single(m => m.Name == "miner1").Stake;
                supervisor.StopChildAsync("miner1").GetAwaiter().GetResult();
                supervisor.RestartChild("miner1");
            }

            if (losses.Count >= 5 && savedAtKill is null)
            {
                // Stop the validator between its saves: the supervisor offers only SIGTERM (with a SIGKILL after 10 s),
                // the same stop the miner gets. What it persisted is what a restart must load.
                supervisor.StopChildAsync("validator").GetAwaiter().GetResult();
                reportedAtKill = File.ReadAllText(validatorStatusPath);
                savedAtKill = ValidatorState.Load(gauntletPath);
                supervisor.RestartChild("validator");
            }
            else if (savedAtKill is not null && afterRestart is null && s.ScoredWindow > savedAtKill.LastWindow)
            {
                afterRestart = ValidatorState.Load(gauntletPath);
            }

            if (s.LossHistory.Count >= 2 && state is null && supervisor.DashboardEndpoint is { } dash)
            {
                page = http.GetStringAsync(dash).GetAwaiter().GetResult();
                state = http.GetStringAsync(new Uri(dash, "api/state")).GetAwaiter().GetResult();
            }
        }, CancellationToken.None);

        // Always observe the browser task, but report a failed devnet run (with its log) before the browser's view of it.
        var browserRun = browser is null ? null : await Task.WhenAny(browser);
        Assert.True(code == 0, log.ToString());
        var table = browserRun is null ? null : await browserRun;
        Assert.NotNull(last);
        Assert.True(losses.Count >= 7, $"only {losses.Count} windows scored\n{log}");
        Assert.True(losses.Last().Value < losses.First().Value, $"held-out loss {losses.First().Value} -> {losses.Last().Value}");
        var predicted = PayloadFormat.SizeOf(TensorLayout.FromModel(new LlamaModel(ModelConfig.Tiny).Layout), CodecSettings.Default);
        foreach (var miner in last.Miners.Where(m => m.Behavior == "honest"))
        {
            Assert.True(miner.Stake > 0, $"{miner.Name} (UID {miner.Uid}) earned nothing");
            Assert.Equal(predicted, miner.LastPayloadBytes);
        }

        Assert.All(last.Miners.Where(m => m.Behavior == "copycat"), m => Assert.Equal(0UL, m.Stake));
        Assert.NotNull(stakeAtRestart);
        Assert.True(last.Miners.Single(m => m.Name == "miner1").Stake > stakeAtRestart, "the restarted miner was not paid again");

        AssertValidatorResumedFromItsRatings(savedAtKill, reportedAtKill, afterRestart, last.ScoredWindow);

        // The dashboard served its page and live JSON while the network ran.
        Assert.NotNull(page);
        Assert.Contains("id=\"loss-chart\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using var json = global::System.Text.Json.JsonDocument.Parse(state!);
        Assert.True(json.RootElement.GetProperty("loss").GetArrayLength() >= 2);
        Assert.Equal(4, json.RootElement.GetProperty("miners").GetArrayLength());

        // Chromium ran the page's script: charts drawn and one metagraph row per neuron (see DashboardBrowserCheck).
        Assert.NotNull(table);
        Assert.Equal(last.Miners.Select(m => m.Name).Order(StringComparer.Ordinal), table.Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(screenshot), screenshot);
    }

    private static void AssertValidatorResumedFromItsRatings(ValidatorState? saved, string? reported,
        ValidatorState? resumed, ulong? lastScored)
    {
        Assert.NotNull(saved);
        Assert.NotNull(reported);
        Assert.True(saved.LastWindow is not null && saved.Miners.Count == 4, $"the validator had saved {saved.Miners.Count} ratings up to window {saved.LastWindow}");

        // What it saved is what it was running with: its last status (written by the stopped process) shows the same ratings.
        using (var status = global::System.Text.Json.JsonDocument.Parse(reported))
        {
            Assert.Equal(saved.LastWindow, status.RootElement.GetProperty("scored_window").GetUInt64());
            var shown = status.RootElement.GetProperty("miners").EnumerateArray()
                .ToDictionary(m => m.GetProperty("uid").GetUInt32(), m => m.GetProperty("rating").GetDouble());
            Assert.Equal(saved.Miners.Keys.Order(), shown.Keys.Order());
            Assert.All(saved.Miners, m => Assert.Equal(Math.Round(m.Value.Rating.Ordinal(), 4), shown[m.Key]));
        }

        // The restarted validator went on scoring from the saved state.
        Assert.NotNull(resumed);
        Assert.True(resumed.LastWindow > saved.LastWindow && lastScored > saved.LastWindow, $"no window scored after the restart (saved at {saved.LastWindow})");

        // Each scored window adds at most τ² to a rating's variance and the OpenSkill update only shrinks it, so a
        // validator that had lost its ratings (σ back to 25/3) would fail this for the miners whose σ had already narrowed.
        var initial = new OpenSkillOptions();
        var tau = GauntletSettings.Default.RatingTau;
        var games = (double)(resumed.LastWindow!.Value - saved.LastWindow!.Value);
        var narrowed = saved.Miners.Where(m => m.Value.Rating.Sigma < initial.Sigma - 0.25).ToList();
        Assert.NotEmpty(narrowed);
        foreach (var (uid, before) in narrowed)
        {
            var after = resumed.Miners[uid].Rating;
            if (after == new Rating(initial.Mu, initial.Sigma))
            {
                continue; // a copy reset (see GauntletValidator) restarts a copier's rating by design
            }

            Assert.True(after.Sigma * after.Sigma <= (before.Rating.Sigma * before.Rating.Sigma) + (games * tau * tau) + 1e-9,
                $"UID {uid}: σ {before.Rating.Sigma} before the restart, {after.Sigma} after {games} more windows");
            Assert.True(resumed.Miners[uid].LastEvaluatedWindow > before.LastEvaluatedWindow);
        }
    }
}
