namespace Agora.Gauntlet.OpenSkill;

/// <summary>
/// The standard normal distribution, evaluated the way Python's statistics.NormalDist does
/// (cdf = ½(1 + erf(x/√2)), pdf = exp(−x²/2)/√(2π)), so results agree with openskill.py to the last few bits.
/// </summary>
public static class NormalDistribution
{
    private const double Sqrt2 = 1.4142135623730951;
    private static readonly double SqrtTwoPi = Math.Sqrt(2.0 * Math.PI);
    private static readonly double TwoOverSqrtPi = 2.0 / Math.Sqrt(Math.PI);
    private static readonly double OneOverSqrtPi = 1.0 / Math.Sqrt(Math.PI);

    public static double Cdf(double x) => 0.5 * (1.0 + Erf(x / Sqrt2));

    public static double Pdf(double x) => Math.Exp(x * x / -2.0) / SqrtTwoPi;

    /// <summary>
    /// The error function to within a few ulps: the all-positive series
    /// erf(x) = 2/√π · e^(−x²) · Σ (2x²)ⁿ x / (1·3·…·(2n+1)) below 2.5 (no cancellation), and
    /// erfc from its Laplace continued fraction above (Abramowitz &amp; Stegun 7.1.6 and 7.1.14).
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double ax = Math.Abs(x);
        double result = ax < 2.5 ? ErfSeries(ax) : 1.0 - ErfcContinuedFraction(ax);
        return x < 0 ? -result : result;
    }

    private static double ErfSeries(double x)
    {
        double twoXSquared = 2.0 * x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++)
        {
            term *= twoXSquared / ((2 * n) + 1);
            sum += term;
            if (term <= sum * 1e-18)
            {
                break;
            }
        }

        return TwoOverSqrtPi * Math.Exp(-x * x) * sum;
    }

    private static double ErfcContinuedFraction(double x)
    {
        if (x > 27.0)
        {
            return 0.0;
        }

        // Modified Lentz on x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), partial numerators k/2.
        const double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0.0;
        for (int k = 1; k < 500; k++)
        {
            double a = k * 0.5;
            d = x + (a * d);
            if (Math.Abs(d) < tiny)
            {
                d = tiny;
            }

            c = x + (a / c);
            if (Math.Abs(c) < tiny)
            {
                c = tiny;
            }

            d = 1.0 / d;
            double step = c * d;
            f *= step;
            if (Math.Abs(step - 1.0) < 1e-17)
            {
                break;
            }
        }

        return OneOverSqrtPi * Math.Exp(-x * x) / f;
    }
}
