namespace Agora.Gauntlet.OpenSkill;

/// <summary>
/// The V, W, Ṽ and W̃ functions of Weng &amp; Lin (2011), "A Bayesian Approximation Method for Online Ranking",
/// with openskill.py's guards for vanishing denominators.
/// </summary>
public static class TruncatedGaussian
{
    /// <summary>The gap between 1 and the next double (Python's sys.float_info.epsilon), not .NET's double.Epsilon.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    public static double V(double x, double t)
    {
        double xt = x - t;
        double denominator = NormalDistribution.Cdf(xt);
        return denominator < MachineEpsilon ? -xt : NormalDistribution.Pdf(xt) / denominator;
    }

    public static double W(double x, double t)
    {
        double xt = x - t;
        double denominator = NormalDistribution.Cdf(xt);
        if (denominator < MachineEpsilon)
        {
            return x < 0 ? 1.0 : 0.0;
        }

        return V(x, t) * (V(x, t) + xt);
    }

    public static double VTilde(double x, double t)
    {
        double xx = Math.Abs(x);
        double b = NormalDistribution.Cdf(t - xx) - NormalDistribution.Cdf(-t - xx);
        if (b < 1e-5)
        {
            return x < 0 ? -x - t : -x + t;
        }

        double a = NormalDistribution.Pdf(-t - xx) - NormalDistribution.Pdf(t - xx);
        return (x < 0 ? -a : a) / b;
    }

    public static double WTilde(double x, double t)
    {
        double xx = Math.Abs(x);
        double b = NormalDistribution.Cdf(t - xx) - NormalDistribution.Cdf(-t - xx);
        if (b < MachineEpsilon)
        {
            return 1.0;
        }

        return ((((t - xx) * NormalDistribution.Pdf(t - xx)) + ((t + xx) * NormalDistribution.Pdf(-t - xx))) / b)
            + (VTilde(x, t) * VTilde(x, t));
    }
}
