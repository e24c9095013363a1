namespace Agora.SparseLoCo.Codec;

/// <summary>Per-tensor 2-bit quantization: shift, scale, and the 4-entry decode table (the value each code stands for).</summary>
public readonly record struct QuantizationParams(float Shift, float Scale, float T0, float T1, float T2, float T3)
{
    public const float MinScale = 1e-12f;
    public const float MaxScale = 1e4f;

    /// <summary>Largest |shift| (the mean of the kept values) the format admits; an update this large means training diverged.</summary>
    public const float MaxShift = 1e4f;

    public float[] Table => [T0, T1, T2, T3];

    public float this[int code] => code switch
    {
        0 => T0,
        1 => T1,
        2 => T2,
        3 => T3,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "A 2-bit code is 0..3."),
    };

    /// <summary>The largest |table[c] − shift| a genuine encoder can produce from <paramref name="keptCount"/> values:
    /// the mean of any subset lies within σ·(n−1)/√n of the overall mean (Samuelson's inequality, with the sample σ),
    /// and σ ≤ scale/1.5 because the encoder sets scale = max(1.5σ, 1e-12). The slack covers float rounding.</summary>
    public double TableDeviationBound(int keptCount) =>
        (1.01 * (Scale / 1.5) * Math.Sqrt(Math.Max(1, keptCount))) + (1e-6 * Math.Abs((double)Shift)) + (2.0 * MinScale);
}
