using System.Text.Json;
using Agora.Node.Ledger;
using Agora.Node.Roles;

namespace Agora.Node.Devnet;

/// <summary>One miner's row of the live view. <see cref="Emission"/> is alpha (rao) earned in the last epoch;
/// <see cref="GradientScore"/> is the validator's loss contribution (loss before minus after its update) and
/// <see cref="Score"/> the final score the weight was derived from.</summary>
public sealed record MinerRow(string Name, string Behavior, int? Uid, double? TrainLoss, ulong BytesUploaded, long LastPayloadBytes, double TokensPerSecond,
    double? Rating, ushort Weight, ushort Incentive, ulong Emission, ulong Stake)
{
    public ulong? TrainedWindow { get; init; }

    public double? GradientScore { get; init; }

    public double? Score { get; init; }

    /// <summary>The child process: starting (no status yet), running, restarting, stopped (awaiting a restart) or exited.</summary>
    public string Status { get; init; } = "running";

    /// <summary>How often the supervisor has restarted this child after it crashed.</summary>
    public int Restarts { get; init; }
}

/// <summary>One validator's row: its neuron on the ledger and what its status file reports. <see cref="Lead"/> marks the
/// validator whose selections the miners follow (the live validator with the most stake, as <see cref="PeerNetwork"/>
/// picks it) and whose scores and loss history the view shows.</summary>
public sealed record ValidatorRow(string Name, int? Uid, ulong Stake, ushort Dividends, ulong Emission, ulong? ScoredWindow, double? HeldOutLoss)
{
    public bool Lead { get; init; }

    /// <summary>The child process, as for <see cref="MinerRow.Status"/>.</summary>
    public string Status { get; init; } = "running";

    public int Restarts { get; init; }
}

/// <summary>A miner as the supervisor knows it: its status file (null before it wrote one), its process state and restarts.</summary>
public sealed record MinerSource(string Name, string Behavior, JsonDocument? Status, string ProcessStatus, int Restarts = 0);

/// <summary>A validator as the supervisor knows it: its status file (null before it wrote one), its process state and restarts.</summary>
public sealed record ValidatorSource(string Name, JsonDocument? Status, string ProcessStatus, int Restarts = 0);

/// <summary>What the live view and the dashboard show, read from the ledger API and the roles' status files.</summary>
public sealed record DevnetSnapshot(ulong Height, ulong Window, ulong? ScoredWindow, double? HeldOutLoss, IReadOnlyList<(ulong Window, double Loss)> LossHistory,
    IReadOnlyList<MinerRow> Miners, IReadOnlyList<ValidatorRow> Validators)
{
    /// <summary>Stake (alpha, rao) of all validators together.</summary>
    public ulong ValidatorStake => Validators.Aggregate(0UL, (sum, v) => sum + v.Stake);

    /// <summary>
    /// Training throughput of the whole network: the sum of each miner's last reported tokens/s. A miner measures its
    /// own rate over its inner steps (tokens of one window / training time), so this is the compute rate while training,
    /// not tokens per wall-clock second of the window; copycats report 0.
    /// </summary>
    public double TokensPerSecond => Miners.Sum(m => m.TokensPerSecond);

    /// <summary>The most recent window any miner has uploaded a payload for (null before the first upload).</summary>
    public ulong? LatestTrainedWindow => Miners.Max(m => m.TrainedWindow);

    /// <summary>Payload bytes uploaded for <see cref="LatestTrainedWindow"/>, summed over the miners that uploaded for it.</summary>
    public long BytesUploadedLatestWindow => LatestTrainedWindow is { } w ? Miners.Where(m => m.TrainedWindow == w).Sum(m => m.LastPayloadBytes) : 0;

    public static async Task<DevnetSnapshot> ReadAsync(DevnetSupervisor devnet, LedgerClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(devnet);
        ArgumentNullException.ThrowIfNull(client);
        var ledger = new RpcSubnetLedger(client);
        IReadOnlyList<NeuronView> neurons;
        ulong height;
        try
        {
            height = (await client.GetStatusAsync(ct).ConfigureAwait(false)).Height;
            neurons = ledger.Neurons(DevnetSupervisor.Netuid);
        }
        catch (Exception e) when (e is HttpRequestException or LedgerRpcException)
        {
            height = 0;
            neurons = [];
        }

        var validators = devnet.ValidatorNames
            .Select(v => new ValidatorSource(v, ReadJson(Path.Combine(devnet.StateDirectory(v), RoleStatusFile.ValidatorFileName)), devnet.ChildStatus(v), devnet.Restarts(v)))
            .ToList();
        var sources = devnet.MinerNames
            .Select(m => new MinerSource(m.Name, m.Behavior, ReadJson(Path.Combine(devnet.StateDirectory(m.Name), RoleStatusFile.MinerFileName)), devnet.ChildStatus(m.Name), devnet.Restarts(m.Name)))
            .ToList();
        try
        {
            return Build(height, devnet.WindowBlocks, neurons, validators, sources);
        }
        finally
        {
            foreach (var s in sources)
            {
                s.Status?.Dispose();
            }

            foreach (var v in validators)
            {
                v.Status?.Dispose();
            }
        }
    }

    /// <summary>Combines the ledger's neurons with the validators' and the miners' status files (as RoleStatusFile writes them).
    /// Miner scores, the held-out loss and its history come from the lead validator.</summary>
    public static DevnetSnapshot Build(ulong height, ulong windowBlocks, IReadOnlyList<NeuronView> neurons, IReadOnlyList<ValidatorSource> validators, IReadOnlyList<MinerSource> miners)
    {
        ArgumentNullException.ThrowIfNull(neurons);
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(miners);
        ArgumentOutOfRangeException.ThrowIfZero(windowBlocks);
        var vrows = new List<ValidatorRow>();
        foreach (var source in validators)
        {
            var e = source.Status?.RootElement;
            int? uid = e is { } u0 && u0.TryGetProperty("uid", out var u) ? u.GetInt32() : null;
            var neuron = uid is null ? null : neurons.FirstOrDefault(n => n.Uid == uid);
            vrows.Add(new ValidatorRow(source.Name, uid, neuron?.Stake ?? 0, neuron?.Dividends ?? 0, neuron?.Emission ?? 0,
                e is { } a && a.TryGetProperty("scored_window", out var sw) ? sw.GetUInt64() : null,
                e is { } b && b.TryGetProperty("held_out_loss", out var hl) ? hl.GetDouble() : null)
            {
                Status = source.ProcessStatus == "running" && e is null ? "starting" : source.ProcessStatus,
                Restarts = source.Restarts,
            });
        }

        // The lead as the most up-to-date validator reports it (it follows the live-lead rule, so a dead lead is replaced);
        // before any report, the validator with the most stake.
        var reported = validators.Select(v => v.Status?.RootElement).Where(e => e is { } x && x.TryGetProperty("lead_uid", out _) && x.TryGetProperty("height", out _))
            .Select(e => (Height: e!.Value.GetProperty("height").GetUInt64(), Lead: e.Value.GetProperty("lead_uid").GetInt32()))
            .OrderByDescending(r => r.Height).Select(r => (int?)r.Lead).FirstOrDefault();
        var lead = vrows.FirstOrDefault(r => r.Uid is not null && r.Uid == reported)
            ?? vrows.Where(r => r.Uid is not null).OrderByDescending(r => r.Stake).ThenBy(r => r.Uid).FirstOrDefault();
        JsonElement? v = null;
        if (lead is not null)
        {
            var i = vrows.IndexOf(lead);
            vrows[i] = lead with { Lead = true };
            v = validators[i].Status?.RootElement;
        }

        var scores = new Dictionary<int, (double Rating, ushort Weight, double? Gradient, double? Final)>();
        var history = new List<(ulong, double)>();
        if (v is { } vr)
        {
            foreach (var m in vr.GetProperty("miners").EnumerateArray())
            {
                scores[m.GetProperty("uid").GetInt32()] = (m.GetProperty("rating").GetDouble(), m.GetProperty("weight").GetUInt16(),
                    m.TryGetProperty("gradient_score", out var g) ? g.GetDouble() : null, m.TryGetProperty("final", out var f) ? f.GetDouble() : null);
            }

            foreach (var l in vr.GetProperty("loss_history").EnumerateArray())
            {
                history.Add((l.GetProperty("window").GetUInt64(), l.GetProperty("loss").GetDouble()));
            }
        }

        var rows = new List<MinerRow>();
        foreach (var miner in miners)
        {
            var s = miner.Status?.RootElement;
            int? uid = s is { } e && e.TryGetProperty("uid", out var u) ? u.GetInt32() : null;
            var neuron = uid is null ? null : neurons.FirstOrDefault(n => n.Uid == uid);
            var score = uid is { } id && scores.TryGetValue(id, out var r) ? r : ((double Rating, ushort Weight, double? Gradient, double? Final)?)null;
            rows.Add(new MinerRow(miner.Name, miner.Behavior, uid,
                s is { } a && a.TryGetProperty("train_loss", out var tl) ? tl.GetDouble() : null,
                s?.GetProperty("bytes_uploaded").GetUInt64() ?? 0,
                s?.GetProperty("last_payload_bytes").GetInt64() ?? 0,
                s?.GetProperty("tokens_per_second").GetDouble() ?? 0,
                score?.Rating, score?.Weight ?? 0, neuron?.Incentive ?? 0, neuron?.Emission ?? 0, neuron?.Stake ?? 0)
            {
                TrainedWindow = s is { } t && t.TryGetProperty("trained_window", out var tw) ? tw.GetUInt64() : null,
                GradientScore = score?.Gradient,
                Score = score?.Final,
                Status = miner.ProcessStatus == "running" && s is null ? "starting" : miner.ProcessStatus,
                Restarts = miner.Restarts,
            });
        }

        return new DevnetSnapshot(height, height / windowBlocks, lead?.ScoredWindow, lead?.HeldOutLoss, history, rows, vrows);
    }

    private static JsonDocument? ReadJson(string path)
    {
        try
        {
            return File.Exists(path) ? JsonDocument.Parse(File.ReadAllBytes(path)) : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }
}
