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
        var screenshot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        Task<IReadOnlyList<IReadOnlyList<string>>>? browser = null;
        DashboardBrowserCheck.RequireBrowser();
        var code = await supervisor.RunAsync(s =>
        {
            last = s;
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
        Assert.True(last.LossHistory.Count >= 5, $"only {last.LossHistory.Count} windows scored\n{log}");
        Assert.True(last.LossHistory[^1].Loss < last.LossHistory[0].Loss, $"held-out loss {last.LossHistory[0].Loss} -> {last.LossHistory[^1].Loss}");
        var predicted = PayloadFormat.SizeOf(TensorLayout.FromModel(new LlamaModel(ModelConfig.Tiny).Layout), CodecSettings.Default);
        foreach (var miner in last.Miners.Where(m => m.Behavior == "honest"))
        {
            Assert.True(miner.Stake > 0, $"{miner.Name} (UID {miner.Uid}) earned nothing");
            Assert.Equal(predicted, miner.LastPayloadBytes);
        }

        Assert.All(last.Miners.Where(m => m.Behavior == "copycat"), m => Assert.Equal(0UL, m.Stake));
        Assert.NotNull(stakeAtRestart);
        Assert.True(last.Miners.Single(m => m.Name == "miner1").Stake > stakeAtRestart, "the restarted miner was not paid again");

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
}
