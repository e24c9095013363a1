using System.Diagnostics;

namespace Agora.Cli.Tests;

/// <summary>Runs the built `agora` CLI in a child process and captures its exit code and output.</summary>
internal static class SimOpenSkillCliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        string agora = Path.Combine(AppContext.BaseDirectory, "agora.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(agora);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
