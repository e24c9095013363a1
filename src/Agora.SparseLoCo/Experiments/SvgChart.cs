using System.Globalization;
using System.Text;

namespace Agora.SparseLoCo.Experiments;

/// <summary>A hand-written SVG with two panels: held-out loss against tokens (linear) and against bytes sent per peer
/// (log10). One polyline per method, round 0 included on the token panel (it has no bytes, so not on the log panel).</summary>
public static class SvgChart
{
    private const int PanelWidth = 440;
    private const int PanelHeight = 300;
    private const int Margin = 60;
    private static readonly string[] Colors = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"];

    public static string Render(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var methods = result.Methods;
        var losses = result.Records.Select(r => r.HeldOutLoss).ToArray();
        double lossMin = losses.Min(), lossMax = losses.Max();
        if (lossMax - lossMin < 1e-9)
        {
            lossMax = lossMin + 1;
        }

        var width = (2 * (PanelWidth + Margin)) + Margin;
        var height = PanelHeight + (2 * Margin) + 20;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");

        var maxTokens = Math.Max(1, result.Records.Max(r => r.Tokens));
        var bytes = result.Records.Where(r => r.BytesPerPeer > 0).Select(r => (double)r.BytesPerPeer).DefaultIfEmpty(1).ToArray();
        var logMin = Math.Floor(Math.Log10(bytes.Min()));
        var logMax = Math.Max(logMin + 1, Math.Ceiling(Math.Log10(bytes.Max())));

        Panel(svg, Margin, "held-out loss vs tokens", "tokens (all peers)", lossMin, lossMax,
            methods, result, r => true, r => (double)r.Tokens / maxTokens, LinearTicks(maxTokens));
        Panel(svg, (2 * Margin) + PanelWidth, "held-out loss vs bytes sent per peer", "bytes sent per peer (log scale)", lossMin, lossMax,
            methods, result, r => r.BytesPerPeer > 0, r => (Math.Log10(r.BytesPerPeer) - logMin) / (logMax - logMin), LogTicks(logMin, logMax));

        for (var m = 0; m < methods.Count; m++)
        {
            var x = Margin + (m * 130);
            var y = height - 14;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{y - 4}\" x2=\"{x + 24}\" y2=\"{y - 4}\" stroke=\"{Colors[m % Colors.Length]}\" stroke-width=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 30}\" y=\"{y}\">{Escape(methods[m])}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int left, string title, string xLabel, double lossMin, double lossMax, IReadOnlyList<string> methods,
        ExperimentResult result, Func<RoundRecord, bool> include, Func<RoundRecord, double> xOf, IReadOnlyList<(double At, string Label)> xTicks)
    {
        var top = Margin;
        var bottom = top + PanelHeight;
        svg.Append(CultureInfo.InvariantCulture, $"<g class=\"panel\"><text x=\"{left + (PanelWidth / 2)}\" y=\"{top - 20}\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#444\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var loss = lossMin + ((lossMax - lossMin) * i / 4);
            var y = Y(loss, lossMin, lossMax, top);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y:F1}\" x2=\"{left + PanelWidth}\" y2=\"{y:F1}\" stroke=\"#ddd\"/><text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{loss:F2}</text>\n");
        }

        foreach (var (at, label) in xTicks)
        {
            var x = left + (at * PanelWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{top}\" x2=\"{x:F1}\" y2=\"{bottom}\" stroke=\"#eee\"/><text x=\"{x:F1}\" y=\"{bottom + 16}\" text-anchor=\"middle\">{Escape(label)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (PanelWidth / 2)}\" y=\"{bottom + 36}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({left - 44},{top + (PanelHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">held-out loss</text>\n");
        for (var m = 0; m < methods.Count; m++)
        {
            var points = result.Records.Where(r => r.Method == methods[m] && include(r))
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{left + (xOf(r) * PanelWidth):F1},{Y(r.HeldOutLoss, lossMin, lossMax, top):F1}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline data-method=\"{Escape(methods[m])}\" fill=\"none\" stroke=\"{Colors[m % Colors.Length]}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>\n");
        }

        svg.Append("</g>\n");
    }

    private static double Y(double loss, double lossMin, double lossMax, int top) => top + (PanelHeight * (1 - ((loss - lossMin) / (lossMax - lossMin))));

    private static List<(double, string)> LinearTicks(long max) =>
        Enumerable.Range(0, 5).Select(i => (i / 4.0, Compact(max * i / 4.0))).ToList();

    private static List<(double, string)> LogTicks(double logMin, double logMax)
    {
        var ticks = new List<(double, string)>();
        for (var e = logMin; e <= logMax; e++)
        {
            ticks.Add(((e - logMin) / (logMax - logMin), Compact(Math.Pow(10, e))));
        }

        return ticks;
    }

    private static string Compact(double v) => v switch
    {
        >= 1e9 => (v / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G",
        >= 1e6 => (v / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => v.ToString("0.#", CultureInfo.InvariantCulture),
    };

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
