using Agora.Node.Roles;

namespace Agora.Node.Devnet;

/// <summary>How `agora devnet` runs. <see cref="AgoraAssembly"/> is the agora.dll the children are started from.</summary>
public sealed record DevnetOptions
{
    public required string DataDirectory { get; init; }

    public required string AgoraAssembly { get; init; }

    public int Miners { get; init; } = 3;

    /// <summary>Validators, 1 to 8; the first owns the subnet. Each scores every window and sets its own weights.</summary>
    public int Validators { get; init; } = 1;

    /// <summary>Adversaries by kind (<see cref="DevnetAdversaries.Names"/>): adversarial miners and flash-gov governance attackers.</summary>
    public IReadOnlyList<string> Adversaries { get; init; } = [];

    public string Config { get; init; } = "tiny";

    public int InnerSteps { get; init; } = 8;

    /// <summary>0 picks a free loopback port for the node.</summary>
    public int NodePort { get; init; }

    /// <summary>Dashboard port on 127.0.0.1 (0: any free port; null: no dashboard).</summary>
    public int? DashboardPort { get; init; } = 0;

    public WindowClock Clock { get; init; } = WindowClock.Devnet;

    public string BlockTime { get; init; } = "1s";

    /// <summary>Stop after the lead validator has scored this many windows (null: run until Ctrl-C).</summary>
    public int? Windows { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>Extra token data for every peer (default: the built-in corpus).</summary>
    public IReadOnlyList<string> Data { get; init; } = [];
}
