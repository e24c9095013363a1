using System.Text.Json;
using Agora.Ledger.State;
using Agora.Node.Devnet;
using Agora.Node.Roles;

namespace Agora.Node.Tests.Devnet;

public sealed class DevnetViewTests : IDisposable
{
    private const string ValidatorJson = """
        {
          "role": "validator", "uid": 0, "height": 95, "window": 9, "scored_window": 8, "held_out_loss": 5.4321,
          "loss_history": [ { "window": 7, "loss": 5.6 }, { "window": 8, "loss": 5.4321 } ],
          "miners": [
            { "uid": 1, "status": "Accepted", "gradient_score": 0.0125, "rating": 3.5, "final": 0.75, "weight": 40000 },
            { "uid": 2, "status": "Accepted", "gradient_score": 0.0031, "rating": 1.25, "final": 0.25, "weight": 25535 }
          ]
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("agora-devnet-view-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Snapshot_joins_status_files_with_the_ledger_and_sums_tokens_per_second()
    {
        var s = Fixture();

        Assert.Equal(9UL, s.Window);
        Assert.Equal(8UL, s.ScoredWindow);
        Assert.Equal(5.4321, s.HeldOutLoss);
        Assert.Equal(2, s.LossHistory.Count);
        Assert.Equal(7 * GlobalParameters.Tao, s.ValidatorStake);
        var v = Assert.Single(s.Validators);
        Assert.Equal(("validator", 0, true, 65535, 8UL), (v.Name, v.Uid!.Value, v.Lead, (int)v.Dividends, v.ScoredWindow!.Value));
        // 1000 + 3000 from the honest miners; the copycat reports 0 and the unstarted miner has no file.
        Assert.Equal(4000.0, s.TokensPerSecond);
        var m0 = s.Miners.Single(m => m.Name == "miner0");
        Assert.Equal((1, 0.0125, 0.75, 3.5, (ushort)40000), (m0.Uid!.Value, m0.GradientScore!.Value, m0.Score!.Value, m0.Rating!.Value, m0.Weight));
        Assert.Equal((2 * GlobalParameters.Tao, 5_000_000UL, 8UL), (m0.Stake, m0.Emission, m0.TrainedWindow!.Value));
        var waiting = s.Miners.Single(m => m.Name == "miner2");
        Assert.Equal(("starting", (int?)null, 0.0), (waiting.Status, waiting.Uid, waiting.TokensPerSecond));
        Assert.Equal("stopped", s.Miners.Single(m => m.Name == "copycat0").Status);
    }

    [Fact]
    public void Bytes_uploaded_this_window_count_only_the_latest_window()
    {
        var s = Fixture();

        // miner0 and copycat0 uploaded for window 8 (2048 + 512 bytes); miner1's payload is from window 7.
        Assert.Equal(8UL, s.LatestTrainedWindow);
        Assert.Equal(2560, s.BytesUploadedLatestWindow);
    }

    [Fact]
    public void Rows_follow_the_columns_sorted_by_uid_with_unregistered_miners_last()
    {
        var rows = DevnetView.Rows(Fixture());

        Assert.Equal(["1", "2", "3", "-"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(DevnetView.Columns.Count, r.Count));
        Assert.Equal(["1", "miner0", "honest", "1.25E-002", "0.7500", "3.50", "40000", "2.000", "0.005", "10.0 KiB", "1,000", "running"], rows[0]);
        Assert.Equal("stopped", rows[2][^1]);
        Assert.Equal(["-", "miner2", "honest", "-", "-", "-", "0"], rows[3].Take(7));
    }

    [Fact]
    public void Header_names_the_chain_height_loss_throughput_and_dashboard()
    {
        var header = DevnetView.Header(Fixture(), new Uri("http://127.0.0.1:5123/")).ToDictionary(f => f.Label, f => f.Value);

        Assert.Equal("agora-devnet", header["chain"]);
        Assert.Equal("95", header["block"]);
        Assert.Equal("9", header["window"]);
        Assert.Equal("5.4321", header["held-out loss"]);
        Assert.Equal("4,000", header["tokens/s"]);
        Assert.Equal("2.5 KiB", header["uploaded (window 8)"]);
        Assert.Equal("http://127.0.0.1:5123/", header["dashboard"]);
    }

    [Fact]
    public void Summary_line_is_one_plain_line_without_control_sequences()
    {
        var line = DevnetView.SummaryLine(Fixture());

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain(line, c => char.IsControl(c));
        Assert.StartsWith("window 8 scored | block 95 | held-out loss 5.4321 | 4,000 tok/s | uploaded 2.5 KiB", line, StringComparison.Ordinal);
        Assert.Contains("| 1 miner0: score 0.7500 w 40000 stake 2.000", line, StringComparison.Ordinal);
        Assert.Contains("copycat0: score - w 0 stake 0.000 stopped", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_before_any_status_file_shows_dashes_and_zero_throughput()
    {
        var s = DevnetSnapshot.Build(3, 10, [], [new ValidatorSource("validator", null, "running")], [new MinerSource("miner0", "honest", null, "running")]);

        Assert.Null(s.ScoredWindow);
        Assert.Equal(0.0, s.TokensPerSecond);
        Assert.Null(s.LatestTrainedWindow);
        Assert.Equal(0, s.BytesUploadedLatestWindow);
        Assert.StartsWith("window - scored | block 3 | held-out loss - | 0 tok/s | uploaded 0 B", DevnetView.SummaryLine(s), StringComparison.Ordinal);
        Assert.Equal(["-", "validator", "-", "-", "-", "0.000", "0", "0.000", "starting"], DevnetView.ValidatorRows(s).Single());
    }

    [Fact]
    public void Snapshot_rejects_a_zero_window_length()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DevnetSnapshot.Build(3, 0, [], [], []));
    }

    [Fact]
    public void With_several_validators_the_lead_is_the_one_with_most_stake_and_its_scores_are_shown()
    {
        var neurons = new List<NeuronView>
        {
            new(0, new byte[32], 3 * GlobalParameters.Tao, 0, 30000, 1_000_000, true),
            new(1, new byte[32], 2 * GlobalParameters.Tao, 40000, 0, 5_000_000, false),
            new(4, new byte[32], 5 * GlobalParameters.Tao, 0, 35535, 2_000_000, true),
        };
        using var first = JsonDocument.Parse(ValidatorJson);
        using var second = JsonDocument.Parse(ValidatorJson.Replace("\"uid\": 0, \"height\"", "\"uid\": 4, \"height\"", StringComparison.Ordinal)
            .Replace("\"scored_window\": 8", "\"scored_window\": 7", StringComparison.Ordinal)
            .Replace("\"rating\": 3.5", "\"rating\": 9.5", StringComparison.Ordinal));
        using var m0 = Status("miner0", new MinerStatus { Uid = 1 });
        var s = DevnetSnapshot.Build(95, 10, neurons,
            [new ValidatorSource("validator", first, "running"), new ValidatorSource("validator1", second, "running", Restarts: 2)],
            [new MinerSource("miner0", "honest", m0, "running", Restarts: 1)]);

        // validator1 (UID 4) has the most stake: the miners follow it, and the view shows its scores and scored window.
        Assert.Equal([false, true], s.Validators.Select(v => v.Lead));
        Assert.Equal(7UL, s.ScoredWindow);
        Assert.Equal(8 * GlobalParameters.Tao, s.ValidatorStake);
        Assert.Equal(9.5, s.Miners.Single().Rating);
        var rows = DevnetView.ValidatorRows(s);
        Assert.Equal(["0", "validator", "-", "8", "5.4321", "3.000", "30000", "0.001", "running"], rows[0]);
        Assert.Equal(["4", "validator1", "lead", "7", "5.4321", "5.000", "35535", "0.002", "running (2 restarts)"], rows[1]);
        Assert.Equal("running (1 restart)", DevnetView.Rows(s).Single()[^1]);
        var line = DevnetView.SummaryLine(s);
        Assert.Contains("| 4 validator1 (lead): scored 7 stake 5.000 div 35535 running (2 restarts)", line, StringComparison.Ordinal);
        Assert.Contains("| 0 validator: scored 8 stake 3.000 div 30000", line, StringComparison.Ordinal);

        // Once the validators report a lead (validator1 died and validator 0 took over), the view follows their report.
        using var reporting = JsonDocument.Parse(ValidatorJson.Replace("\"height\": 95", "\"height\": 96, \"lead_uid\": 0", StringComparison.Ordinal));
        var failedOver = DevnetSnapshot.Build(96, 10, neurons,
            [new ValidatorSource("validator", reporting, "running"), new ValidatorSource("validator1", second, "restarting")], []);
        Assert.Equal([true, false], failedOver.Validators.Select(v => v.Lead));
        Assert.Equal(8UL, failedOver.ScoredWindow);
    }

    [Fact]
    public void Dashboard_json_carries_miners_validators_and_the_loss_history()
    {
        using var json = JsonDocument.Parse(Dashboard.DashboardServer.ToJson(Fixture()));
        var root = json.RootElement;

        Assert.Equal(95UL, root.GetProperty("height").GetUInt64());
        Assert.Equal([7UL, 8UL], root.GetProperty("loss").EnumerateArray().Select(l => l.GetProperty("window").GetUInt64()));
        Assert.Equal(["miner0", "miner1", "miner2", "copycat0"], root.GetProperty("miners").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("stopped", root.GetProperty("miners")[3].GetProperty("status").GetString());
        var v = Assert.Single(root.GetProperty("validators").EnumerateArray());
        Assert.Equal(("validator", 0, true, 7 * GlobalParameters.Tao, 65535), (v.GetProperty("name").GetString(), v.GetProperty("uid").GetInt32(),
            v.GetProperty("lead").GetBoolean(), v.GetProperty("stake").GetUInt64(), v.GetProperty("dividends").GetInt32()));
        Assert.Equal("{}", global::System.Text.Encoding.UTF8.GetString(Dashboard.DashboardServer.ToJson(null)));
    }

    [Fact]
    public void A_validator_status_written_by_the_role_reads_back_into_the_snapshot()
    {
        var path = Path.Combine(_dir, RoleStatusFile.ValidatorFileName);
        RoleStatusFile.Write(path, new ValidatorStatus
        {
            Uid = 4, ScoredWindow = 6, HeldOutLoss = 5.25, LossHistory = [(5, 5.5), (6, 5.25)], LeadUid = 0, IsLead = false, FollowedLead = true,
            SelectedUids = [1, 2], OwnSelectedUids = [2], UnjudgedWindows = 3,
        });
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        Assert.Equal((0, false, true), (root.GetProperty("lead_uid").GetInt32(), root.GetProperty("is_lead").GetBoolean(), root.GetProperty("followed_lead").GetBoolean()));
        Assert.Equal([1u, 2u], root.GetProperty("selected_uids").EnumerateArray().Select(u => u.GetUInt32()));
        Assert.Equal([2u], root.GetProperty("own_selected_uids").EnumerateArray().Select(u => u.GetUInt32()));
        Assert.Equal(3, root.GetProperty("unjudged_windows").GetInt32());

        var s = DevnetSnapshot.Build(70, 10, [new NeuronView(4, new byte[32], GlobalParameters.Tao, 0, 100, 0, true)], [new ValidatorSource("validator1", doc, "running")], []);
        Assert.Equal((6UL, 5.25, 2), (s.ScoredWindow!.Value, s.HeldOutLoss!.Value, s.LossHistory.Count));
        Assert.Equal(("validator1", 4, true, (ushort)100), (s.Validators[0].Name, s.Validators[0].Uid!.Value, s.Validators[0].Lead, s.Validators[0].Dividends));
    }

    private DevnetSnapshot Fixture()
    {
        var neurons = new List<NeuronView>
        {
            new(0, new byte[32], 7 * GlobalParameters.Tao, 0, 65535, 9_000_000, true),
            new(1, new byte[32], 2 * GlobalParameters.Tao, 40000, 0, 5_000_000, false),
            new(2, new byte[32], GlobalParameters.Tao, 25535, 0, 3_000_000, false),
            new(3, new byte[32], 0, 0, 0, 0, false),
        };
        using var validator = JsonDocument.Parse(ValidatorJson);
        using var m0 = Status("miner0", new MinerStatus { Uid = 1, TrainedWindow = 8, TrainLoss = 5.5, LastPayloadBytes = 2048, BytesUploaded = 10240, TokensPerSecond = 1000 });
        using var m1 = Status("miner1", new MinerStatus { Uid = 2, TrainedWindow = 7, LastPayloadBytes = 4096, BytesUploaded = 4096, TokensPerSecond = 3000 });
        using var c0 = Status("copycat0", new MinerStatus { Uid = 3, TrainedWindow = 8, LastPayloadBytes = 512, BytesUploaded = 512, TokensPerSecond = 0 });
        return DevnetSnapshot.Build(95, 10, neurons, [new ValidatorSource("validator", validator, "running")],
        [
            new MinerSource("miner0", "honest", m0, "running"),
            new MinerSource("miner1", "honest", m1, "running"),
            new MinerSource("miner2", "honest", null, "running"),
            new MinerSource("copycat0", "copycat", c0, "stopped"),
        ]);
    }

    // Written by the roles' own writer, so the test breaks if the file format and the reader drift apart.
    private JsonDocument Status(string name, MinerStatus status)
    {
        var path = Path.Combine(_dir, name + "." + RoleStatusFile.MinerFileName);
        RoleStatusFile.Write(path, status);
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }
}
