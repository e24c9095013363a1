using System.Globalization;
using System.Text;
using Agora.Ledger.State;

namespace Agora.Node.Devnet;

/// <summary>
/// The text of `agora devnet`'s terminal view, independent of how it is drawn: header fields and table cells for the
/// live (in-place) view, and one plain summary line per scored window for redirected output.
/// </summary>
public static class DevnetView
{
    public const string Chain = "agora-devnet";

    // Short headers keep the table within about 110 columns; "loss Δ" is the validator's gradient score (loss
    // contribution), "emit α/ep" the alpha earned in the last epoch, "sent" all payload bytes the miner uploaded.

    public static IReadOnlyList<string> Columns { get; } =
        ["uid", "miner", "kind", "loss Δ", "score", "rating", "weight", "stake α", "emit α/ep", "sent", "tok/s", "status"];

    /// <summary>Columns of the validator table; "lead" marks the validator whose selections the miners follow.</summary>
    public static IReadOnlyList<string> ValidatorColumns { get; } =
        ["uid", "validator", "role", "scored", "held-out loss", "stake α", "dividends", "emit α/ep", "status"];

    /// <summary>(label, value) pairs shown above the miner table.</summary>
    public static IReadOnlyList<(string Label, string Value)> Header(DevnetSnapshot s, Uri? dashboard)
    {
        ArgumentNullException.ThrowIfNull(s);
        return
        [
            ("chain", Chain),
            ("block", I(s.Height)),
            ("window", I(s.Window)),
            ("scored window", s.ScoredWindow is { } w ? I(w) : "-"),
            ("held-out loss", F(s.HeldOutLoss, "F4")),
            ("tokens/s", s.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture)),
            (s.LatestTrainedWindow is { } tw ? $"uploaded (window {I(tw)})" : "uploaded", Bytes(s.BytesUploadedLatestWindow)),
            ("validators", I(s.Validators.Count)),
            ("validator stake α", Alpha(s.ValidatorStake)),
            ("dashboard", dashboard?.ToString() ?? "off"),
        ];
    }

    /// <summary>One row of cells per miner, in the order of <see cref="Columns"/>, sorted by uid (miners without one last, by name).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(DevnetSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Miners
            .OrderBy(m => m.Uid ?? int.MaxValue).ThenBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => (IReadOnlyList<string>)
            [
                m.Uid is { } u ? I(u) : "-",
                m.Name,
                m.Behavior,
                F(m.GradientScore, "E2"),
                F(m.Score, "F4"),
                F(m.Rating, "F2"),
                I(m.Weight),
                Alpha(m.Stake),
                Alpha(m.Emission),
                Bytes((long)m.BytesUploaded),
                m.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                StatusCell(m.Status, m.Restarts),
            ])
            .ToList();
    }

    /// <summary>One row of cells per validator, in the order of <see cref="ValidatorColumns"/>, sorted like the miners.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ValidatorRows(DevnetSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Validators
            .OrderBy(v => v.Uid ?? int.MaxValue).ThenBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => (IReadOnlyList<string>)
            [
                v.Uid is { } u ? I(u) : "-",
                v.Name,
                v.Lead ? "lead" : "-",
                v.ScoredWindow is { } w ? I(w) : "-",
                F(v.HeldOutLoss, "F4"),
                Alpha(v.Stake),
                I(v.Dividends),
                Alpha(v.Emission),
                StatusCell(v.Status, v.Restarts),
            ])
            .ToList();
    }

    /// <summary>The process state, with the number of restarts after crashes when there were any.</summary>
    public static string StatusCell(string status, int restarts) =>
        restarts == 0 ? status : $"{status} ({I(restarts)} restart{(restarts == 1 ? "" : "s")})";

    /// <summary>The line written for each newly scored window when stdout is not a terminal (no cursor control).</summary>
    public static string SummaryLine(DevnetSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"window {(s.ScoredWindow is { } w ? I(w) : "-")} scored | block {I(s.Height)} | held-out loss {F(s.HeldOutLoss, "F4")}");
        line.Append(CultureInfo.InvariantCulture, $" | {s.TokensPerSecond:N0} tok/s | uploaded {Bytes(s.BytesUploadedLatestWindow)}");
        foreach (var row in Rows(s))
        {
            // uid name: score, weight, stake, status
            line.Append(CultureInfo.InvariantCulture, $" | {row[0]} {row[1]}: score {row[4]} w {row[6]} stake {row[7]}");
            if (row[11] != "running")
            {
                line.Append(' ').Append(row[11]);
            }
        }

        foreach (var row in ValidatorRows(s))
        {
            // uid name (lead): stake, dividends, status
            line.Append(CultureInfo.InvariantCulture, $" | {row[0]} {row[1]}{(row[2] == "lead" ? " (lead)" : "")}: scored {row[3]} stake {row[5]} div {row[6]}");
            if (row[8] != "running")
            {
                line.Append(' ').Append(row[8]);
            }
        }

        return line.ToString();
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{I(bytes)} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
    };

    /// <summary>Rao as alpha with three decimals.</summary>
    public static string Alpha(ulong rao) => ((decimal)rao / GlobalParameters.Tao).ToString("F3", CultureInfo.InvariantCulture);

    private static string I<T>(T v) where T : IFormattable => v.ToString(null, CultureInfo.InvariantCulture);

    private static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
}
