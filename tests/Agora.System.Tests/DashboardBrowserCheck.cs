using System.Globalization;
using Microsoft.Playwright;

namespace Agora.System.Tests;

/// <summary>Drives Debian's Chromium (never a downloaded browser) against a running devnet dashboard and checks that the
/// page's own script drew the charts and filled the metagraph table from live /api/state data.</summary>
public static class DashboardBrowserCheck
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // The page polls every 2 s and the loss chart needs two scored windows, so allow for a slow 2-core CI machine.
    private const float WaitMs = 120_000;

    // Every cell of these columns is written by the page from a JSON number, so it must parse as one.
    private static readonly string[] NumericColumns = ["uid", "weight", "incentive", "emission", "stake", "bytes sent", "tokens/s"];

    /// <summary>Fails (never skips) when Chromium or the Playwright driver is missing, so a broken CI image is noticed.</summary>
    public static void RequireBrowser()
    {
        Assert.True(File.Exists(ChromiumPath), $"Chromium is not installed at {ChromiumPath}: install the Debian package `chromium` (.ci/run does it).");
        var driver = Path.Combine(AppContext.BaseDirectory, ".playwright", "node", "linux-x64", "node");
        Assert.True(File.Exists(driver), $"The Playwright driver is missing at {driver}: the Microsoft.Playwright package should copy .playwright/ to the test output.");
    }

    /// <summary>Opens the dashboard, waits until the page shows live data for <paramref name="miners"/> miners and
    /// <paramref name="validators"/> validators, saves a screenshot to <paramref name="screenshotPath"/> and returns the
    /// metagraph table as text (header, then one row per miner).</summary>
    public static async Task<IReadOnlyList<IReadOnlyList<string>>> VerifyAsync(Uri dashboard, int miners, int validators, string screenshotPath)
    {
        RequireBrowser();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 800 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(dashboard.ToString());

        // Waits inside the page for what a person would see: a loss line of at least two points, an emission and a bytes
        // bar per miner with at least one of each taller than zero, a table row per miner whose train loss is a number, and
        // a row per validator of which exactly one is the lead.
        const string LiveData = """
            ([n, v]) => {
              const line = document.querySelector('#loss-chart polyline');
              if (!line || line.getAttribute('points').trim().split(/\s+/).length < 2) return false;
              for (const id of ['#emission-chart', '#bytes-chart']) {
                const bars = [...document.querySelectorAll(id + ' rect')];
                if (bars.length !== n || !bars.some(b => parseFloat(b.getAttribute('height')) > 0)) return false;
              }
              const rows = [...document.querySelectorAll('#metagraph tbody tr')];
              const vrows = [...document.querySelectorAll('#validators tbody tr')];
              return rows.length === n && rows.some(r => !isNaN(parseFloat(r.cells[2].textContent)))
                && vrows.length === v && vrows.filter(r => r.cells[2].textContent === 'lead').length === 1;
            }
            """;
        try
        {
            await page.WaitForFunctionAsync(LiveData, new[] { miners, validators }, new PageWaitForFunctionOptions { Timeout = WaitMs, PollingInterval = 250 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshotPath, FullPage = true });
            var summary = await page.Locator("#summary").TextContentAsync();
            Assert.Fail($"The dashboard never showed live data (summary: '{summary}', page errors: {string.Join("; ", errors)}); screenshot at {screenshotPath}");
        }

        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync(new global::System.Text.RegularExpressions.Regex("^block \\d+ · window \\d+ · held-out loss [0-9.]+$"));
        var points = await page.Locator("#loss-chart polyline").GetAttributeAsync("points");
        Assert.All(points!.Trim().Split(' '), p => Assert.Matches("^-?[0-9.]+,-?[0-9.]+$", p));

        var table = new List<IReadOnlyList<string>>
        {
            await page.Locator("#metagraph thead th").AllTextContentsAsync(),
        };
        foreach (var row in await page.Locator("#metagraph tbody tr").AllAsync())
        {
            table.Add(await row.Locator("td").AllTextContentsAsync());
        }

        var header = table[0];
        foreach (var row in table.Skip(1))
        {
            Assert.Equal(header.Count, row.Count);
            foreach (var column in NumericColumns)
            {
                var cell = row[IndexOf(header, column)];
                Assert.True(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{row[0]}: '{column}' shows '{cell}', not a number");
            }
        }

        Assert.Equal(miners, table.Skip(1).Select(r => r[0]).Distinct().Count());
        foreach (var row in await page.Locator("#validators tbody tr").AllAsync())
        {
            var cells = await row.Locator("td").AllTextContentsAsync();
            Assert.Matches("^validator\\d*$", cells[0]);
            Assert.All(cells.Skip(5).Take(3), c => Assert.True(double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{cells[0]}: '{c}' is not a number"));
        }

        Assert.Empty(errors);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshotPath, FullPage = true });
        return table;
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == column)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The metagraph table has no '{column}' column (columns: {string.Join(", ", header)}).");
    }
}
