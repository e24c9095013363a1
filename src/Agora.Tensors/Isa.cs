using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agora.Tensors;

/// <summary>The instruction-set level a fast kernel uses. Results are bit-identical for one level on one CPU family;
/// different levels may differ in the last bits (different blocking and FMA use).</summary>
internal enum IsaLevel
{
    /// <summary>Vector&lt;T&gt; / scalar code that runs anywhere.</summary>
    Portable = 0,

    /// <summary>Vector256 with FMA (x86 AVX2 + FMA3).</summary>
    Avx2 = 1,

    /// <summary>Vector512 with FMA (x86 AVX-512F).</summary>
    Avx512 = 2,
}

/// <summary>Chooses the instruction-set level once from the CPU; tests may lower it to exercise the fallbacks.</summary>
internal static class Isa
{
    /// <summary>Environment variable that caps the level (portable, avx2, avx512). Peers on different CPU families
    /// that must produce identical bits (a validator re-running a miner's step) can all pin the same level.</summary>
    public const string EnvironmentVariable = "AGORA_TENSORS_ISA";

    private static readonly IsaLevel Detected = Cap(
        Avx512F.IsSupported && Fma.IsSupported && Vector512.IsHardwareAccelerated ? IsaLevel.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? IsaLevel.Avx2
        : IsaLevel.Portable,
        Environment.GetEnvironmentVariable(EnvironmentVariable));

    private static IsaLevel? forced;

    /// <summary>The level kernels use now.</summary>
    public static IsaLevel Level => forced is { } f && f < Detected ? f : Detected;

    /// <summary>The best level this CPU supports.</summary>
    public static IsaLevel Best => Detected;

    /// <summary>Caps the level until the returned scope is disposed (tests and benchmarks only; not thread-safe
    /// against kernels running concurrently).</summary>
    public static IDisposable Force(IsaLevel level)
    {
        IsaLevel? previous = forced;
        forced = level;
        return new Restore(previous);
    }

    /// <summary>Lowers <paramref name="hardware"/> to the level named by <paramref name="setting"/>; never raises it.</summary>
    internal static IsaLevel Cap(IsaLevel hardware, string? setting)
    {
        IsaLevel? wanted = setting?.Trim().ToLowerInvariant() switch
        {
            null or "" or "best" => null,
            "portable" => IsaLevel.Portable,
            "avx2" => IsaLevel.Avx2,
            "avx512" => IsaLevel.Avx512,
            _ => throw new InvalidOperationException(
                $"{EnvironmentVariable}='{setting}' is not a level; use portable, avx2, avx512 or best (or unset it)."),
        };
        return wanted is { } w && w < hardware ? w : hardware;
    }

    private sealed class Restore(IsaLevel? previous) : IDisposable
    {
        public void Dispose() => forced = previous;
    }
}
