using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Agora.Ledger.Consensus;

namespace Agora.Bench.Ledger;

/// <summary>`side-by-side yuma [--uids 256] [--validators 64] [--reps 30]`: times one Yuma 3 epoch with liquid alpha
/// on one thread (best and median of the repetitions after a warm-up) and prints one JSON line.</summary>
public static class YumaSideBySide
{
    public static int Run(string[] args)
    {
        var uids = 256;
        var validators = 64;
        var reps = 30;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--uids":
                    uids = value;
                    break;
                case "--validators":
                    validators = value;
                    break;
                case "--reps":
                    reps = value;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; expected --uids, --validators or --reps");
                    return 2;
            }
        }

        var input = YumaBenchInput.Create(uids, validators);
        for (var i = 0; i < 5; i++)
        {
            YumaEpoch.Run(input);
        }

        var times = new double[reps];
        for (var i = 0; i < reps; i++)
        {
            var watch = Stopwatch.StartNew();
            YumaEpoch.Run(input);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout))
        {
            writer.WriteStartObject();
            writer.WriteString("name", "yuma");
            writer.WriteString("variant", "yuma3_liquid_alpha");
            writer.WriteNumber("uids", uids);
            writer.WriteNumber("validators", validators);
            writer.WriteNumber("reps", reps);
            writer.WriteNumber("best_ms", Math.Round(times[0], 3));
            writer.WriteNumber("median_ms", Math.Round(times[reps / 2], 3));
            writer.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
        return 0;
    }
}
