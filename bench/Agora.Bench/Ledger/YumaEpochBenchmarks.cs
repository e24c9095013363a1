using Agora.Ledger.Consensus;
using BenchmarkDotNet.Attributes;

namespace Agora.Bench.Ledger;

/// <summary>One Yuma 3 epoch with liquid alpha over 256 UIDs, 64 validators with dense weights (target &lt; 20 ms).</summary>
[MemoryDiagnoser]
public class YumaEpochBenchmarks
{
    private EpochInput input = null!;

    [Params(256)]
    public int Uids { get; set; }

    [GlobalSetup]
    public void Setup() => input = YumaBenchInput.Create(Uids, validators: 64);

    [Benchmark]
    public EpochOutput Yuma3LiquidAlphaEpoch() => YumaEpoch.Run(input);
}
