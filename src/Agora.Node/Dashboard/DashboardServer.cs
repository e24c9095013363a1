using System.Globalization;
using System.Net;
using System.Text.Json;
using Agora.Node.Devnet;
using Agora.Node.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Agora.Node.Dashboard;

/// <summary>The devnet's web page on 127.0.0.1: GET / is one self-contained HTML page (inline JS and SVG), GET /api/state
/// the current <see cref="DevnetSnapshot"/> as JSON, which the page polls. Requests pass the same <see cref="HttpGuard"/>
/// as the node's RPC (Host, Origin, connection and rate caps), so another site cannot read it through DNS rebinding.</summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpGuard _guard;

    private DashboardServer(WebApplication app, HttpGuard guard, Uri endpoint)
    {
        _app = app;
        _guard = guard;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static Task<DashboardServer> StartAsync(Func<DevnetSnapshot?> snapshot, int port, CancellationToken ct)
        => StartAsync(snapshot, port, null, ct);

    /// <summary>Serves on 127.0.0.1:<paramref name="port"/> (0 picks a free one) with <paramref name="limits"/> (null: the defaults).</summary>
    public static async Task<DashboardServer> StartAsync(Func<DevnetSnapshot?> snapshot, int port, HttpLimits? limits, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var guard = new HttpGuard(IPAddress.Loopback, limits ?? HttpLimits.Default);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            guard.Listen(k, new IPEndPoint(IPAddress.Loopback, port));
            k.Limits.MaxRequestBodySize = 0;
        });
        var app = builder.Build();
        app.Use(guard.InvokeAsync);
        app.MapGet("/", () => Results.Content(DashboardPage.Html, "text/html; charset=utf-8"));
        app.MapGet("/api/state", () => Results.Bytes(ToJson(snapshot()), "application/json"));
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            guard.Dispose();
            throw;
        }

        var address = app.Urls.First();
        return new DashboardServer(app, guard, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public static byte[] ToJson(DevnetSnapshot? s)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (s is not null)
            {
                w.WriteNumber("height", s.Height);
                w.WriteNumber("window", s.Window);
                w.WriteOptional("scored_window", s.ScoredWindow);
                w.WriteOptional("held_out_loss", s.HeldOutLoss);
                w.WriteNumber("validator_stake", s.ValidatorStake);
                w.WriteLossHistory("loss", s.LossHistory);
                w.WriteStartArray("miners");
                foreach (var m in s.Miners)
                {
                    w.WriteStartObject();
                    w.WriteString("name", m.Name);
                    w.WriteString("behavior", m.Behavior);
                    w.WriteOptional("uid", m.Uid);
                    w.WriteOptional("train_loss", m.TrainLoss);
                    w.WriteOptional("rating", m.Rating);
                    w.WriteNumber("weight", m.Weight);
                    w.WriteNumber("incentive", m.Incentive);
                    w.WriteNumber("emission", m.Emission);
                    w.WriteNumber("stake", m.Stake);
                    w.WriteNumber("bytes_uploaded", m.BytesUploaded);
                    w.WriteNumber("last_payload_bytes", m.LastPayloadBytes);
                    w.WriteString("tokens_per_second", m.TokensPerSecond.ToString("F0", CultureInfo.InvariantCulture));
                    w.WriteString("status", Devnet.DevnetView.StatusCell(m.Status, m.Restarts));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("validators");
                foreach (var v in s.Validators)
                {
                    w.WriteStartObject();
                    w.WriteString("name", v.Name);
                    w.WriteOptional("uid", v.Uid);
                    w.WriteBoolean("lead", v.Lead);
                    w.WriteOptional("scored_window", v.ScoredWindow);
                    w.WriteOptional("held_out_loss", v.HeldOutLoss);
                    w.WriteNumber("stake", v.Stake);
                    w.WriteNumber("dividends", v.Dividends);
                    w.WriteNumber("emission", v.Emission);
                    w.WriteString("status", Devnet.DevnetView.StatusCell(v.Status, v.Restarts));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _guard.Dispose();
    }
}
