using System.Text.Json;
using Agora.Node.Ledger;
using Agora.Node.Roles;

namespace Agora.Node.Devnet;

/// <summary>One miner's row of the live view.</summary>
public sealed record MinerRow(string Name, string Behavior, int? Uid, double? TrainLoss, ulong BytesUploaded, long LastPayloadBytes, double TokensPerSecond,
    double? Rating, ushort Weight, ushort Incentive, ulong Emission, ulong Stake);

/// <summary>What the live view and the dashboard show, read from the ledger API and the roles' status files.</summary>
public sealed record DevnetSnapshot(ulong Height, ulong Window, ulong? ScoredWindow, double? HeldOutLoss, IReadOnlyList<(ulong Window, double Loss)> LossHistory,
    IReadOnlyList<MinerRow> Miners, ulong ValidatorStake)
{
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

        using var validator = ReadJson(Path.Combine(devnet.StateDirectory("validator"), RoleStatusFile.ValidatorFileName));
        var v = validator?.RootElement;
        var ratings = new Dictionary<int, (double Rating, ushort Weight)>();
        var history = new List<(ulong, double)>();
        if (v is { } vr)
        {
            foreach (var m in vr.GetProperty("miners").EnumerateArray())
            {
                ratings[m.GetProperty("uid").GetInt32()] = (m.GetProperty("rating").GetDouble(), m.GetProperty("weight").GetUInt16());
            }

            foreach (var l in vr.GetProperty("loss_history").EnumerateArray())
            {
                history.Add((l.GetProperty("window").GetUInt64(), l.GetProperty("loss").GetDouble()));
            }
        }

        var rows = new List<MinerRow>();
        foreach (var (name, behavior) in devnet.MinerNames)
        {
            using var doc = ReadJson(Path.Combine(devnet.StateDirectory(name), RoleStatusFile.MinerFileName));
            var s = doc?.RootElement;
            int? uid = s is { } e && e.TryGetProperty("uid", out var u) ? u.GetInt32() : null;
            var neuron = uid is null ? null : neurons.FirstOrDefault(n => n.Uid == uid);
            var rating = uid is { } id && ratings.TryGetValue(id, out var r) ? r : ((double Rating, ushort Weight)?)null;
            rows.Add(new MinerRow(name, behavior, uid,
                s is { } a && a.TryGetProperty("train_loss", out var tl) ? tl.GetDouble() : null,
                s?.GetProperty("bytes_uploaded").GetUInt64() ?? 0,
                s?.GetProperty("last_payload_bytes").GetInt64() ?? 0,
                s?.GetProperty("tokens_per_second").GetDouble() ?? 0,
                rating?.Rating, rating?.Weight ?? 0, neuron?.Incentive ?? 0, neuron?.Emission ?? 0, neuron?.Stake ?? 0));
        }

        var vuid = v is { } vv && vv.TryGetProperty("uid", out var vu) ? vu.GetInt32() : -1;
        return new DevnetSnapshot(height, height / WindowClockFor(devnet), v is { } x && x.TryGetProperty("scored_window", out var sw) ? sw.GetUInt64() : null,
            v is { } y && y.TryGetProperty("held_out_loss", out var hl) ? hl.GetDouble() : null, history, rows,
            neurons.FirstOrDefault(n => n.Uid == vuid)?.Stake ?? 0);
    }

    private static ulong WindowClockFor(DevnetSupervisor devnet) => devnet.WindowBlocks;

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
