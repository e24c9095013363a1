using Agora.Gauntlet.OpenSkill;

namespace Agora.Gauntlet.Tests.OpenSkill;

public sealed class NormalDistributionTests
{
    // Reference values from CPython 3.11's math.erf (the libm the openskill.py fixtures were made with).
    public static TheoryData<double, double> ErfValues() => new()
    {
        { -3.0, -0.9999779095030014 },
        { -1.0, -0.8427007929497149 },
        { -0.3, -0.3286267594591274 },
        { 1e-08, 1.1283791670955126e-08 },
        { 0.5, 0.5204998778130465 },
        { 1.7, 0.9837904585907745 },
        { 2.4999, 0.9995928300996666 },
        { 2.5, 0.999593047982555 },
        { 3.1, 0.9999883513426328 },
        { 4.5, 0.9999999998033839 },
        { 6.0, 1.0 },
    };

    [Theory]
    [MemberData(nameof(ErfValues))]
    public void Erf_matches_the_C_library_to_a_few_ulps(double x, double expected)
    {
        double actual = NormalDistribution.Erf(x);
        double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        Assert.True(Math.Abs(actual - expected) <= 4 * ulp, $"erf({x}) = {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void Cdf_is_a_half_at_zero_and_symmetric()
    {
        Assert.Equal(0.5, NormalDistribution.Cdf(0));
        Assert.Equal(1.0, NormalDistribution.Cdf(1.3) + NormalDistribution.Cdf(-1.3), 15);
    }

    [Fact]
    public void Pdf_peaks_at_one_over_root_two_pi()
    {
        Assert.Equal(1 / Math.Sqrt(2 * Math.PI), NormalDistribution.Pdf(0), 15);
        Assert.True(NormalDistribution.Pdf(1) < NormalDistribution.Pdf(0));
    }

    [Fact]
    public void Erf_of_nan_is_nan()
    {
        Assert.True(double.IsNaN(NormalDistribution.Erf(double.NaN)));
    }
}
