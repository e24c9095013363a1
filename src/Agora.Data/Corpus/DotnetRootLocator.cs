using System.Runtime.InteropServices;

namespace Agora.Data;

/// <summary>
/// Finds .NET installation roots (the folder holding <c>packs/</c> and <c>shared/</c>), in this order:
/// $DOTNET_ROOT, the root of the running runtime (…/shared/Microsoft.NETCore.App/&lt;ver&gt;/ → three levels up),
/// the folder of the running host when it is <c>dotnet</c>, each <c>dotnet</c> on $PATH with symlinks resolved,
/// then the usual install folders. Duplicates are dropped; order is fixed so the choice is deterministic.
/// </summary>
public static class DotnetRootLocator
{
    public static IReadOnlyList<string> CandidateRoots()
    {
        var candidates = new List<string>();
        AddIfSet(candidates, Environment.GetEnvironmentVariable("DOTNET_ROOT"));

        var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        if (!string.IsNullOrEmpty(runtimeDir))
        {
            var up = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
            AddIfSet(candidates, up);
        }

        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            AddIfSet(candidates, Path.GetDirectoryName(ResolveLinks(processPath)));
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? new[] { "dotnet.exe" } : ["dotnet"])
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    AddIfSet(candidates, Path.GetDirectoryName(ResolveLinks(path)));
                }
            }
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        AddIfSet(candidates, string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".dotnet"));
        if (OperatingSystem.IsWindows())
        {
            AddIfSet(candidates, Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet"));
        }
        else
        {
            AddIfSet(candidates, "/usr/share/dotnet");
            AddIfSet(candidates, "/usr/lib/dotnet");
            AddIfSet(candidates, "/usr/local/share/dotnet");
            AddIfSet(candidates, "/opt/dotnet");
        }

        return candidates;
    }

    private static string ResolveLinks(string path)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true);
            return target?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static void AddIfSet(List<string> candidates, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!candidates.Contains(full, StringComparer.Ordinal))
        {
            candidates.Add(full);
        }
    }
}
