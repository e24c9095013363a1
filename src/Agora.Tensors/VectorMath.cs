using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agora.Tensors;

/// <summary>Vectorised exp and friends. Every vector routine has a scalar twin performing the identical IEEE operation
/// sequence (fused multiply-adds included), so an element gets the same bits whether it lands in a vector body or a
/// tail; that is what lets kernels split work at arbitrary element boundaries and stay bit-identical.</summary>
internal static class VectorMath
{
    // Cephes-style expf: exp(x) = 2^n · e^r with n = round(x·log2 e), r = x − n·ln 2 (ln 2 split in two parts),
    // e^r by a degree-5 minimax polynomial (S. L. Moshier, Cephes Math Library, expf.c).
    private const float ExpHi = 88.3762626647949f;
    private const float ExpLo = -87.3365447504f;
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f;
    private const float P1 = 1.3981999507e-3f;
    private const float P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f;
    private const float P4 = 1.6666665459e-1f;
    private const float P5 = 5.0000001201e-1f;

    /// <summary>True when the Vector256 + FMA paths may run (AVX2 level or better).</summary>
    public static bool UseVector256 => Isa.Level >= IsaLevel.Avx2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Avx.Min(Avx.Max(x, Vector256.Create(ExpLo)), Vector256.Create(ExpHi));
        Vector256<float> n = Avx.Floor(Fma.MultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(0.5f)));
        Vector256<float> r = Fma.MultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Fma.MultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        Vector256<float> y = Vector256.Create(P0);
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P1));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P2));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P3));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P4));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P5));
        y = Fma.MultiplyAdd(y, Avx.Multiply(r, r), r);
        y = Avx.Add(y, Vector256.Create(1f));
        Vector256<int> bits = Avx2.ShiftLeftLogical(Avx2.Add(Avx.ConvertToVector256Int32WithTruncation(n), Vector256.Create(127)), 23);
        return Avx.Multiply(y, bits.AsSingle());
    }

    /// <summary>The scalar twin of <see cref="Exp(Vector256{float})"/> (same operations, same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        x = MathF.Min(MathF.Max(x, ExpLo), ExpHi);
        float n = MathF.Floor(MathF.FusedMultiplyAdd(x, Log2E, 0.5f));
        float r = MathF.FusedMultiplyAdd(n, -Ln2Hi, x);
        r = MathF.FusedMultiplyAdd(n, -Ln2Lo, r);
        float y = P0;
        y = MathF.FusedMultiplyAdd(y, r, P1);
        y = MathF.FusedMultiplyAdd(y, r, P2);
        y = MathF.FusedMultiplyAdd(y, r, P3);
        y = MathF.FusedMultiplyAdd(y, r, P4);
        y = MathF.FusedMultiplyAdd(y, r, P5);
        y = MathF.FusedMultiplyAdd(y, r * r, r);
        y += 1f;
        return y * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    }

    /// <summary>Sum of the lanes in a fixed order: ((0+4)+(1+5)) + ((2+6)+(3+7)) pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalSum(Vector256<float> v)
    {
        Vector128<float> s = Sse.Add(v.GetLower(), v.GetUpper());
        s = Sse.Add(s, Sse.MoveHighToLow(s, s));
        s = Sse.AddScalar(s, Sse.Shuffle(s, s, 0x55));
        return s.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMax(Vector256<float> v)
    {
        Vector128<float> s = Sse.Max(v.GetLower(), v.GetUpper());
        s = Sse.Max(s, Sse.MoveHighToLow(s, s));
        s = Sse.MaxScalar(s, Sse.Shuffle(s, s, 0x55));
        return s.ToScalar();
    }

    /// <summary>max of x[0..n).</summary>
    public static unsafe float Max(float* x, int n)
    {
        int i = 0;
        float max = float.NegativeInfinity;
        if (UseVector256 && n >= 8)
        {
            Vector256<float> m = Avx.LoadVector256(x);
            for (i = 8; i + 8 <= n; i += 8)
            {
                m = Avx.Max(m, Avx.LoadVector256(x + i));
            }

            max = HorizontalMax(m);
        }

        for (; i < n; i++)
        {
            max = MathF.Max(max, x[i]);
        }

        return max;
    }

    /// <summary>y = exp(x·scale − shift) for n elements; returns their sum (8 lane partial sums, then the tail, in a fixed order).</summary>
    public static unsafe float ExpSum(float* x, float* y, int n, float scale, float shift)
    {
        int i = 0;
        float sum = 0f;
        if (UseVector256)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            Vector256<float> vs = Vector256.Create(scale), vshift = Vector256.Create(-shift);
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> e = Exp(Fma.MultiplyAdd(Avx.LoadVector256(x + i), vs, vshift));
                Avx.Store(y + i, e);
                acc = Avx.Add(acc, e);
            }

            sum = HorizontalSum(acc);
        }

        for (; i < n; i++)
        {
            float e = Exp(MathF.FusedMultiplyAdd(x[i], scale, -shift));
            y[i] = e;
            sum += e;
        }

        return sum;
    }

    /// <summary>x[0..n) *= s, in place.</summary>
    public static unsafe void Scale(float* x, int n, float s)
    {
        int i = 0;
        if (UseVector256)
        {
            Vector256<float> vs = Vector256.Create(s);
            for (; i + 8 <= n; i += 8)
            {
                Avx.Store(x + i, Avx.Multiply(Avx.LoadVector256(x + i), vs));
            }
        }

        for (; i < n; i++)
        {
            x[i] *= s;
        }
    }

    /// <summary>y[0..n) = x[0..n) · s.</summary>
    public static unsafe void ScaleTo(float* x, float* y, int n, float s)
    {
        int i = 0;
        if (UseVector256)
        {
            Vector256<float> vs = Vector256.Create(s);
            for (; i + 8 <= n; i += 8)
            {
                Avx.Store(y + i, Avx.Multiply(Avx.LoadVector256(x + i), vs));
            }
        }

        for (; i < n; i++)
        {
            y[i] = x[i] * s;
        }
    }

    /// <summary>Σ x[i]·y[i] with 8 lane accumulators (FMA), then the tail, in a fixed order.</summary>
    public static unsafe float Dot(float* x, float* y, int n)
    {
        int i = 0;
        float sum = 0f;
        if (UseVector256)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                acc = Fma.MultiplyAdd(Avx.LoadVector256(x + i), Avx.LoadVector256(y + i), acc);
            }

            sum = HorizontalSum(acc);
        }

        for (; i < n; i++)
        {
            sum = MathF.FusedMultiplyAdd(x[i], y[i], sum);
        }

        return sum;
    }
}
