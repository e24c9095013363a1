using System.Text.Json;

namespace Agora.Ledger.Tests.Consensus;

/// <summary>Finds ../shared/vectors/yuma by walking up from the test binary; fails loudly when it is missing.</summary>
public static class YumaVectors
{
    private static readonly Lazy<string> Folder = new(Locate);

    public static string Directory => Folder.Value;

    public static JsonDocument Load(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Yuma vector file {fileName} is missing from {Directory}", path);
        }

        return JsonDocument.Parse(File.ReadAllText(path));
    }

    public static string Text(string fileName) => File.ReadAllText(Path.Combine(Directory, fileName));

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "vectors", "yuma"), Path.Combine(dir.FullName, "..", "shared", "vectors", "yuma") })
            {
                if (System.IO.Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"could not find shared/vectors/yuma in any parent of {AppContext.BaseDirectory} (nor ../shared beside one); "
            + "the Yuma conformance tests need the vectors checked out next to the repository");
    }
}
