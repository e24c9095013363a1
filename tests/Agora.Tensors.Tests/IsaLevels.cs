namespace Agora.Tensors.Tests;

/// <summary>Theory data: every instruction-set level this CPU can run, so each fast path and the fallback are tested.</summary>
public sealed class IsaLevels : TheoryData<int>
{
    public IsaLevels()
    {
        for (int level = 0; level <= (int)Isa.Best; level++)
        {
            Add(level);
        }
    }
}
