namespace Agora.Node;

/// <summary>Replaces a file so that a crash at any point (even a power cut) leaves either the old or the new content whole.</summary>
internal static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> into <c>path.tmp</c>, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        {
            write(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }
}
