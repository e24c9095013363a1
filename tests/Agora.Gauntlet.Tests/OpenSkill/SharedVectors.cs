namespace Agora.Gauntlet.Tests.OpenSkill;

/// <summary>Finds the shared test vectors by walking up from the test binaries.</summary>
internal static class SharedVectors
{
    public static string OpenSkillDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "vectors", "openskill");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"shared/vectors/openskill was not found in any parent of {AppContext.BaseDirectory}; "
            + "the OpenSkill fixture tests need the shared test vectors checked out beside the repository.");
    }
}
