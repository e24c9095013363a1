namespace Agora.Artifacts;

/// <summary>
/// The key grammar shared by every store: '/'-separated segments of [A-Za-z0-9._-], no empty segment, no segment
/// that starts with '.' (this rules out "." and ".." traversal and keeps the file store's temp names out of the key space).
/// </summary>
public static class ArtifactKey
{
    public const int MaxLength = 512;

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when <paramref name="key"/> is not a valid key.</summary>
    public static void Validate(string key)
    {
        var problem = Problem(key);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid artifact key '{key}': {problem}.", nameof(key));
        }
    }

    public static bool IsValid(string key) => Problem(key) is null;

    private static string? Problem(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "it is empty";
        }

        if (key.Length > MaxLength)
        {
            return $"it is {key.Length} characters, the limit is {MaxLength}";
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            {
                return $"character '{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())}' is not allowed (use A-Z a-z 0-9 . _ - /)";
            }
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty path segment (leading, trailing or doubled '/')";
            }

            if (segment[0] == '.')
            {
                return $"segment '{segment}' starts with '.'";
            }
        }

        return null;
    }
}
