using System.Globalization;
using System.Text;

namespace Agora.SparseLoCo.Experiments;

/// <summary>The CSV of every round and the summary rows of an experiment.</summary>
public static class ExperimentReport
{
    public const string CsvHeader = "method,round,tokens,bytes_per_peer,train_loss,heldout_loss,seconds";

    public static string Csv(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var csv = new StringBuilder().Append(CsvHeader).Append('\n');
        foreach (var r in result.Records)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Method},{r.Round},{r.Tokens},{r.BytesPerPeer},")
                .Append(double.IsNaN(r.TrainLoss) ? string.Empty : r.TrainLoss.ToString("F6", CultureInfo.InvariantCulture))
                .Append(CultureInfo.InvariantCulture, $",{r.HeldOutLoss:F6},{r.Seconds:F2}\n");
        }

        return csv.ToString();
    }

    /// <summary>One row per method: final held-out loss, total bytes per peer, and how many times fewer bytes than
    /// data-parallel fp32 and than dense DiLoCo it sent.</summary>
    public static IReadOnlyList<SummaryRow> Summary(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Methods.Select(m =>
        {
            var final = result.Final(m);
            return new SummaryRow(m, final.HeldOutLoss, final.BytesPerPeer,
                result.CompressionRatio(m, MethodFactory.Ddp), result.CompressionRatio(m, MethodFactory.DiLoCo));
        }).ToArray();
    }

    public static string SummaryText(ExperimentResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"method",-12} {"held-out loss",13} {"bytes/peer",14} {"× vs DDP fp32",14} {"× vs DiLoCo",12}\n");
        foreach (var row in Summary(result))
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Method,-12} {row.HeldOutLoss,13:F4} {row.BytesPerPeer,14} {Ratio(row.VsDdp),14} {Ratio(row.VsDiLoCo),12}\n");
        }

        return text.ToString();
    }

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("F1", CultureInfo.InvariantCulture) : "-";
}

public sealed record SummaryRow(string Method, double HeldOutLoss, long BytesPerPeer, double? VsDdp, double? VsDiLoCo);
