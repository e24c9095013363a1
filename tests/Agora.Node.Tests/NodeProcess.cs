using System.Diagnostics;

namespace Agora.Node.Tests;

/// <summary>The real `agora node` as a child process (dotnet agora.dll), for crash tests. Kill() is SIGKILL.</summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private NodeProcess(Process process, Uri endpoint, Task<string> stderr)
    {
        _process = process;
        Endpoint = endpoint;
        _stderr = stderr;
    }

    public Uri Endpoint { get; }

    public static async Task<NodeProcess> StartAsync(string dataDirectory, string genesisPath, string blockTime, ulong snapshotEvery)
    {
        var agora = Path.Combine(AppContext.BaseDirectory, "agora.dll");
        if (!File.Exists(agora))
        {
            throw new InvalidOperationException($"{agora} is missing; the test project must reference src/Agora.Cli so the node binary is copied next to the tests.");
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { agora, "node", "--data", dataDirectory, "--port", "0", "--block-time", blockTime, "--genesis", genesisPath, "--snapshot-every", snapshotEvery.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the node process.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    await process.WaitForExitAsync(timeout.Token);
                    throw new InvalidOperationException($"The node exited with code {process.ExitCode} before listening: {await stderr}");
                }

                const string marker = "listening on ";
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new NodeProcess(process, new Uri(line[(at + marker.Length)..].Trim()), stderr);
                }
            }
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.WaitForExit();
    }

    public string StandardError => _stderr.IsCompleted ? _stderr.Result : "";

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
