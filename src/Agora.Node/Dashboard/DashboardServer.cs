using System.Globalization;
using System.Net;
using System.Text.Json;
using Agora.Node.Devnet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Agora.Node.Dashboard;

/// <summary>The devnet's web page on 127.0.0.1: GET / is one self-contained HTML page (inline JS and SVG), GET /api/state
/// the current <see cref="DevnetSnapshot"/> as JSON, which the page polls.</summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<DashboardServer> StartAsync(Func<DevnetSnapshot?> snapshot, int port, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(DashboardPage.Html, "text/html; charset=utf-8"));
        app.MapGet("/api/state", () => Results.Bytes(ToJson(snapshot()), "application/json"));
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Urls.First();
        return new DashboardServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
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
                if (s.ScoredWindow is { } sw)
                {
                    w.WriteNumber("scored_window", sw);
                }

                if (s.HeldOutLoss is { } l)
                {
                    w.WriteNumber("held_out_loss", l);
                }

                w.WriteNumber("validator_stake", s.ValidatorStake);
                w.WriteStartArray("loss");
                foreach (var (window, loss) in s.LossHistory)
                {
                    w.WriteStartObject();
                    w.WriteNumber("window", window);
                    w.WriteNumber("loss", loss);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("miners");
                foreach (var m in s.Miners)
                {
                    w.WriteStartObject();
                    w.WriteString("name", m.Name);
                    w.WriteString("behavior", m.Behavior);
                    if (m.Uid is { } uid)
                    {
                        w.WriteNumber("uid", uid);
                    }

                    if (m.TrainLoss is { } tl)
                    {
                        w.WriteNumber("train_loss", tl);
                    }

                    if (m.Rating is { } r)
                    {
                        w.WriteNumber("rating", r);
                    }

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
                    if (v.Uid is { } uid)
                    {
                        w.WriteNumber("uid", uid);
                    }

                    w.WriteBoolean("lead", v.Lead);
                    if (v.ScoredWindow is { } scored)
                    {
                        w.WriteNumber("scored_window", scored);
                    }

                    if (v.HeldOutLoss is { } loss)
                    {
                        w.WriteNumber("held_out_loss", loss);
                    }

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
    }
}
