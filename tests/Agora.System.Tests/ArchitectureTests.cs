using System.Reflection;

namespace Agora.System.Tests;

public class ArchitectureTests
{
    private static readonly string[] LedgerSide = ["Agora.Ledger", "Agora.Ledger.Storage"];
    private static readonly string[] TrainingSide = ["Agora.Tensors", "Agora.Data", "Agora.Model", "Agora.SparseLoCo", "Agora.Gauntlet"];

    private static HashSet<string> AgoraReferencesOf(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        return assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Agora.", StringComparison.Ordinal))
            .ToHashSet();
    }

    [Fact]
    public void Core_references_no_other_agora_assembly()
    {
        Assert.Empty(AgoraReferencesOf("Agora.Core"));
    }

    [Fact]
    public void The_ledger_knows_nothing_of_training()
    {
        foreach (var ledger in LedgerSide)
        {
            var refs = AgoraReferencesOf(ledger);
            Assert.DoesNotContain(refs, TrainingSide.Contains);
            Assert.DoesNotContain("Agora.Artifacts", refs);
            Assert.DoesNotContain("Agora.Node", refs);
        }
    }

    [Fact]
    public void Training_code_knows_nothing_of_the_ledger_storage_or_processes()
    {
        foreach (var training in TrainingSide)
        {
            var refs = AgoraReferencesOf(training);
            Assert.DoesNotContain(refs, LedgerSide.Contains);
            Assert.DoesNotContain("Agora.Node", refs);
            Assert.DoesNotContain("Agora.Cli", refs);
        }
    }

    [Fact]
    public void Tensors_depend_only_on_core()
    {
        Assert.Subset(new HashSet<string> { "Agora.Core" }, AgoraReferencesOf("Agora.Tensors"));
    }
}
