namespace Agora.SparseLoCo.Codec;

/// <summary>2-bit quantization of one tensor's kept values, as the SparseLoCo spec states it:
/// shift = mean, σ = ‖v − shift‖/√(n−1), scale = 6σ/4, code = clamp(round((v − shift)/scale + 2), 0, 3),
/// table[c] = mean of the originals that got code c.
/// Edge cases (our choice, fixed by golden tests): statistics are accumulated in double in payload order; round is
/// round-half-to-even; n = 1 has σ = 0; scale is raised to 1e-12 when 1.5σ is smaller (all values equal, or n = 1), so every
/// value lands on code 2 and decodes exactly; a code no value got decodes to shift (it is never
/// referenced, and shift keeps every table entry inside the bound the decoder checks).</summary>
public static class TwoBitQuantizer
{
    /// <summary>Quantizes <paramref name="values"/> into <paramref name="codes"/> and returns the parameters.</summary>
    public static QuantizationParams Quantize(ReadOnlySpan<float> values, Span<byte> codes)
    {
        var n = values.Length;
        if (n == 0 || codes.Length != n)
        {
            throw new ArgumentException($"Quantizing needs at least one value and one code slot per value (values {n}, codes {codes.Length}).");
        }

        double sum = 0;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException("The update holds a non-finite value; training diverged and the update cannot be encoded.", nameof(values));
            }

            sum += v;
        }

        var mean = sum / n;
        double squares = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            squares += d * d;
        }

        var sigma = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0.0;
        var shift = (float)mean;
        var scale = (float)Math.Max(1.5 * sigma, QuantizationParams.MinScale);
        if (Math.Abs(shift) > QuantizationParams.MaxShift || scale > QuantizationParams.MaxScale || !float.IsFinite(scale))
        {
            throw new ArgumentException($"The update is too large to encode (mean {mean:G4}, 1.5σ {1.5 * sigma:G4}; the format allows ±{QuantizationParams.MaxShift:G}); training diverged.", nameof(values));
        }

        Span<double> bucketSum = stackalloc double[4];
        Span<int> bucketCount = stackalloc int[4];
        bucketSum.Clear();
        bucketCount.Clear();
        for (var i = 0; i < n; i++)
        {
            var code = CodeOf(values[i], shift, scale);
            codes[i] = (byte)code;
            bucketSum[code] += values[i];
            bucketCount[code]++;
        }

        Span<float> table = stackalloc float[4];
        for (var c = 0; c < 4; c++)
        {
            table[c] = bucketCount[c] > 0 ? (float)(bucketSum[c] / bucketCount[c]) : shift;
        }

        return new QuantizationParams(shift, scale, table[0], table[1], table[2], table[3]);
    }

    public static int CodeOf(float value, float shift, float scale)
    {
        var q = Math.Round(((value - (double)shift) / scale) + 2.0, MidpointRounding.ToEven);
        return q <= 0 ? 0 : q >= 3 ? 3 : (int)q;
    }
}
