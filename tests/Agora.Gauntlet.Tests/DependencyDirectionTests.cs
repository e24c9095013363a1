using System.Reflection;

namespace Agora.Gauntlet.Tests;

public sealed class DependencyDirectionTests
{
    [Fact]
    public void The_gauntlet_reaches_the_ledger_only_through_its_own_ports()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(Agora.Gauntlet.Scoring.GauntletValidator).Assembly]);
        while (pending.Count > 0)
        {
            Assembly assembly = pending.Pop();
            foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            {
                string name = reference.Name!;
                if (!name.StartsWith("Agora.", StringComparison.Ordinal) || !seen.Add(name))
                {
                    continue;
                }

                Assert.False(name.StartsWith("Agora.Ledger", StringComparison.Ordinal), $"Agora.Gauntlet depends on {name}.");
                Assert.NotEqual("Agora.Node", name);
                pending.Push(Assembly.Load(reference));
            }
        }

        Assert.Contains("Agora.SparseLoCo", seen);
    }
}
