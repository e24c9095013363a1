using Agora.SparseLoCo.Fuzzing;
using Agora.SparseLoCo.Wire;

namespace Agora.SparseLoCo.Tests;

/// <summary>Seeded mutations of valid payloads must be rejected with a <see cref="PayloadException"/> or, when the mutation
/// happened to restore the original bytes, decode to exactly the original; no other exception may escape.</summary>
public class PayloadFuzzTests
{
    public const int DefaultIterations = 100_000;

    [Fact]
    public void One_hundred_thousand_mutations_never_crash_the_decoder()
    {
        var report = PayloadFuzzer.Run(DefaultIterations, seed: 20251122);
        Assert.Equal(DefaultIterations, report.Iterations);
        Assert.Empty(report.Crashes);
        Assert.True(report.Rejections.Count >= 10, $"the mutations should reach many rules, reached {string.Join(", ", report.Rejections.Keys)}");
        Assert.True(report.Rejections.Values.Sum() + report.Accepted == DefaultIterations);
    }
}
