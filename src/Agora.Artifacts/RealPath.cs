namespace Agora.Artifacts;

/// <summary>
/// Resolves a path the way the kernel would open it: every symbolic link along it (in any component, chained links
/// included) is replaced by its target, so a containment check on the result cannot be escaped through a link.
/// Components that do not exist are kept as they are (they cannot be links). Touches nothing but metadata.
/// </summary>
public static class RealPath
{
    /// <summary>Links followed before giving up (Linux's own limit for one lookup is 40).</summary>
    private const int MaxLinks = 40;

    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var pending = new Queue<string>(Split(Absolute(path), out var current));
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Dequeue();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"Too many symbolic links while resolving {path}.");
                }

                // The target is read literally, relative to the link's directory; its own components are resolved in turn.
                var absolute = Path.IsPathRooted(target) ? target : Path.Join(current, target);
                var rest = pending.ToArray();
                pending = new Queue<string>([.. Split(absolute, out current), .. rest]);
                continue;
            }

            current = next;
        }

        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or lies below it (both already resolved).</summary>
    public static bool IsUnder(string path, string root)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(root);
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var r = Path.TrimEndingDirectorySeparator(root);
        var under = r.EndsWith(Path.DirectorySeparatorChar) ? r : r + Path.DirectorySeparatorChar; // "/" stays "/"
        return string.Equals(Path.TrimEndingDirectorySeparator(path), r, comparison) || path.StartsWith(under, comparison);
    }

    // Not Path.GetFullPath: it folds "link/.." textually, where the kernel goes to the link target's parent.
    private static string Absolute(string path) => Path.IsPathRooted(path) ? path : Path.Join(Directory.GetCurrentDirectory(), path);

    private static string[] Split(string full, out string root)
    {
        root = Path.GetPathRoot(full) ?? "/";
        return full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
    }
}
