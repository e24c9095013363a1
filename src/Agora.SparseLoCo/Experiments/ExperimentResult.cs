namespace Agora.SparseLoCo.Experiments;

/// <summary>Every method's per-round records, in method order then round order.</summary>
public sealed record ExperimentResult(ExperimentOptions Options, IReadOnlyList<RoundRecord> Records)
{
    public IReadOnlyList<string> Methods => Records.Select(r => r.Method).Distinct().ToArray();

    public RoundRecord Final(string method) => Records.Last(r => r.Method == method);

    /// <summary>Total bytes a peer sent under <paramref name="baseline"/> divided by the total under <paramref name="method"/>;
    /// null when either did not run.</summary>
    public double? CompressionRatio(string method, string baseline)
    {
        if (!Methods.Contains(method) || !Methods.Contains(baseline) || Final(method).BytesPerPeer == 0)
        {
            return null;
        }

        return (double)Final(baseline).BytesPerPeer / Final(method).BytesPerPeer;
    }
}
