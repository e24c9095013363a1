using System.Globalization;
using System.Text.Json;

namespace Agora.Node.Roles;

/// <summary>Writes a role's status as a small JSON file (read by the devnet supervisor's live view and dashboard); atomic by rename.</summary>
public static class RoleStatusFile
{
    public const string MinerFileName = "miner.status.json";
    public const string ValidatorFileName = "validator.status.json";

    public static void Write(string path, MinerStatus s)
    {
        WriteFile(path, w =>
        {
            w.WriteString("role", "miner");
            w.WriteOptional("uid", s.Uid);
            w.WriteNumber("height", s.Height);
            w.WriteNumber("window", s.Window);
            w.WriteOptional("trained_window", s.TrainedWindow);
            w.WriteOptional("train_loss", s.TrainLoss);
            w.WriteNumber("last_payload_bytes", s.LastPayloadBytes);
            w.WriteNumber("bytes_uploaded", s.BytesUploaded);
            w.WriteNumber("tokens_per_second", Math.Round(s.TokensPerSecond, 1));
        });
    }

    public static void Write(string path, ValidatorStatus s)
    {
        WriteFile(path, w =>
        {
            w.WriteString("role", "validator");
            w.WriteOptional("uid", s.Uid);
            w.WriteNumber("height", s.Height);
            w.WriteNumber("window", s.Window);
            w.WriteOptional("scored_window", s.ScoredWindow);
            w.WriteOptional("held_out_loss", s.HeldOutLoss);
            w.WriteOptional("lead_uid", s.LeadUid);
            w.WriteBoolean("is_lead", s.IsLead);
            w.WriteBoolean("followed_lead", s.FollowedLead);
            w.WriteNumber("unjudged_windows", s.UnjudgedWindows);
            Uids(w, "selected_uids", s.SelectedUids);
            Uids(w, "own_selected_uids", s.OwnSelectedUids);
            w.WriteLossHistory("loss_history", s.LossHistory);
            w.WriteStartArray("miners");
            foreach (var m in s.Miners)
            {
                w.WriteStartObject();
                w.WriteNumber("uid", m.Uid);
                w.WriteString("status", m.Reason.ToString());
                w.WriteNumber("gradient_score", m.GradientScore ?? 0);
                w.WriteNumber("rating", Math.Round(m.Ordinal, 4));
                w.WriteNumber("final", Math.Round(m.Final, 4));
                w.WriteNumber("weight", m.Weight);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static void Uids(Utf8JsonWriter w, string name, IReadOnlyList<uint> uids)
    {
        w.WriteStartArray(name);
        foreach (var u in uids)
        {
            w.WriteNumberValue(u);
        }

        w.WriteEndArray();
    }

    private static void WriteFile(string path, Action<Utf8JsonWriter> body)
    {
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        File.Move(tmp, path, overwrite: true);
    }

    internal static string Invariant(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
