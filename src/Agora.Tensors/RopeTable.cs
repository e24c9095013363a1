namespace Agora.Tensors;

/// <summary>Precomputed RoPE rotation: cos and sin (T, D/2) of the angle t · theta^(-2i/D). Angles are computed in
/// double and rounded once to float, so the table does not depend on float rounding of t · inv_freq.</summary>
public sealed class RopeTable
{
    private static readonly Lock CacheLock = new();
    private static RopeTable? cached;

    private RopeTable(int t, int d, float theta)
    {
        T = t;
        D = d;
        Theta = theta;
        int half = d / 2;
        var cos = new float[t * half];
        var sin = new float[t * half];
        for (int i = 0; i < half; i++)
        {
            double invFreq = Math.Pow(theta, -2.0 * i / d);
            for (int pos = 0; pos < t; pos++)
            {
                double angle = pos * invFreq;
                cos[pos * half + i] = (float)Math.Cos(angle);
                sin[pos * half + i] = (float)Math.Sin(angle);
            }
        }

        Cos = cos;
        Sin = sin;
    }

    public int T { get; }

    public int D { get; }

    public float Theta { get; }

    /// <summary>(T, D/2)</summary>
    public ReadOnlyMemory<float> Cos { get; }

    /// <summary>(T, D/2)</summary>
    public ReadOnlyMemory<float> Sin { get; }

    /// <summary>Builds a table, or returns the last one built when it covers at least <paramref name="t"/> positions for the same d and theta.</summary>
    public static RopeTable Get(int t, int d, float theta)
    {
        Check.NonNegative(t, nameof(t));
        Check.EvenHeadDim(d);
        if (!float.IsFinite(theta) || theta <= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(theta), theta, $"RoPE theta must be a finite number > 1, got {theta}.");
        }

        lock (CacheLock)
        {
            RopeTable? table = cached;
            if (table is not null && table.D == d && table.Theta.Equals(theta) && table.T >= t)
            {
                return table;
            }

            table = new RopeTable(t, d, theta);
            cached = table;
            return table;
        }
    }
}
