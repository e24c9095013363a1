using System.Text;
using System.Text.Json;
using Agora.Gauntlet.Scoring;

namespace Agora.Gauntlet.Simulation;

/// <summary>Summaries and the machine-readable JSON of a simulation run (timings are left out: they are not deterministic).</summary>
public static class SimulationReport
{
    /// <summary>The share of the last window's weight that went to miners of <paramref name="kind"/>.</summary>
    public static double FinalShare(IReadOnlyList<SimulatedMinerKind> kinds, IReadOnlyList<SimulatedWindow> windows, SimulatedMinerKind kind)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(windows);
        return windows.Count == 0 ? 0 : windows[^1].Report.Miners.Where(m => kinds[(int)m.Uid] == kind).Sum(m => m.WeightShare);
    }

    public static string ToJson(string config, ulong seed, IReadOnlyList<SimulatedMinerKind> kinds, IReadOnlyList<SimulatedWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(windows);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("config", config);
            w.WriteNumber("seed", seed);
            w.WriteNumber("windows", windows.Count);
            w.WriteStartArray("miners");
            for (int uid = 0; uid < kinds.Count; uid++)
            {
                w.WriteStartObject();
                w.WriteNumber("uid", uid);
                w.WriteString("kind", kinds[uid].ToString().ToLowerInvariant());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("perWindow");
            foreach (SimulatedWindow window in windows)
            {
                w.WriteStartObject();
                w.WriteNumber("window", window.Report.Window);
                if (double.IsFinite(window.Report.RandomLossBefore))
                {
                    w.WriteNumber("randomLoss", window.Report.RandomLossBefore);
                }

                w.WriteStartArray("miners");
                foreach (MinerWindowResult m in window.Report.Miners)
                {
                    WriteMiner(w, kinds, m);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("finalShareByKind");
            foreach (SimulatedMinerKind kind in kinds.Distinct().Order())
            {
                w.WriteNumber(kind.ToString().ToLowerInvariant(), FinalShare(kinds, windows, kind));
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteMiner(Utf8JsonWriter w, IReadOnlyList<SimulatedMinerKind> kinds, MinerWindowResult m)
    {
        w.WriteStartObject();
        w.WriteNumber("uid", m.Uid);
        w.WriteString("kind", kinds[(int)m.Uid].ToString().ToLowerInvariant());
        w.WriteString("status", m.Reason.ToString());
        w.WriteBoolean("sampled", m.Sampled);
        if (m.GradientScore is { } g)
        {
            w.WriteNumber("gradientScore", g);
        }

        if (m.Indicator is { } indicator)
        {
            w.WriteNumber("indicator", indicator);
        }

        w.WriteNumber("bma", m.Bma);
        w.WriteNumber("mu", m.Rating.Mu);
        w.WriteNumber("sigma", m.Rating.Sigma);
        w.WriteNumber("ordinal", m.Ordinal);
        w.WriteNumber("sync", m.Sync);
        w.WriteNumber("penalty", m.Penalty);
        w.WriteNumber("final", m.Final);
        w.WriteNumber("weight", m.Weight);
        w.WriteNumber("weightShare", m.WeightShare);
        if (m.Copy is { } copy)
        {
            w.WriteNumber("copyOf", copy.Original);
            w.WriteNumber("copyOverlap", copy.Overlap);
        }

        w.WriteEndObject();
    }
}
