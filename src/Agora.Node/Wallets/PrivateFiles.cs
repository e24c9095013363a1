using Agora.Artifacts;

namespace Agora.Node.Wallets;

/// <summary>
/// Secret files (wallets, the devnet's password) and their directories: created owner-only from the first byte
/// (0600 files, 0700 directories, passed to open(2)/mkdir(2) so there is no moment they are readable by others; the
/// umask can only remove bits), written whole to a temporary file in the same directory and renamed into place, so a
/// reader never sees a partial file.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="directory"/> (and missing parents) as 0700; an existing one open to group or
    /// others is narrowed to 0700.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }

        if ((File.GetUnixFileMode(directory) & GroupOrOther) != 0)
        {
            File.SetUnixFileMode(directory, DirectoryMode);
        }
    }

    /// <summary>Narrows an existing file that group or others may read or write to 0600 (e.g. one an older build wrote).
    /// True when it changed the mode.</summary>
    public static bool Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & GroupOrOther) == 0)
        {
            return false;
        }

        File.SetUnixFileMode(path, FileMode);
        return true;
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> bytes of <paramref name="path"/>; a longer file, or a device or pipe
    /// that keeps producing bytes (<c>/dev/zero</c>), is a <see cref="WalletException"/> naming <paramref name="what"/>.
    /// </summary>
    public static byte[] ReadBounded(string path, int maxBytes, string what)
    {
        using var stream = new FileStream(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[maxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        if (total > maxBytes)
        {
            throw new WalletException($"{what} {path} is longer than {maxBytes} bytes; refusing to read it.");
        }

        return buffer[..total];
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> as a 0600 file in a 0700 directory: temp file,
    /// fsync, rename, directory fsync. With <paramref name="overwrite"/> false an existing file is an
    /// <see cref="IOException"/> and is left as it was.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content, bool overwrite)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        EnsureDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        DirectorySync.Fsync(directory);
    }
}
