using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Agora.Tensors;

/// <summary>A register-blocked GEMM micro-kernel: C (MR,NR) (+)= Apanel (KC,MR) · Bpanel (KC,NR) from packed panels,
/// plus the cache-block sizes that suit it. Static abstract members let the driver be specialised per kernel.</summary>
internal unsafe interface IMicroKernel
{
    /// <summary>Rows of C per micro-tile.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per micro-tile.</summary>
    static abstract int NR { get; }

    /// <summary>Depth of a packed panel (the B micro-panel KC·NR should stay in L1).</summary>
    static abstract int KC { get; }

    /// <summary>Rows of a packed A block (MC·KC should stay in L2).</summary>
    static abstract int MC { get; }

    /// <summary>Columns of a packed B panel (KC·NC should stay in L3).</summary>
    static abstract int NC { get; }

    /// <summary>Sums kc rank-1 updates in ascending p order from zero accumulators, then writes C = acc (overwrite)
    /// or C = C + acc. Every element therefore sees the same operation sequence wherever its tile lies.</summary>
    static abstract void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite);
}

/// <summary>AVX-512: 8 × 32 tile, 16 zmm accumulators.</summary>
internal readonly unsafe struct Avx512Kernel : IMicroKernel
{
    public static int MR => 8;

    public static int NR => 32;

    public static int KC => 256;

    public static int MC => 192;

    public static int NC => 1536;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int r = 0; r < 8; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + 31);
        }

        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Avx512F.LoadVector512(b);
            Vector512<float> b1 = Avx512F.LoadVector512(b + 16);
            Vector512<float> ai = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(ai, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(ai, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(ai, b1, c71);
            a += 8;
            b += 32;
        }

        Store(c, c00, c01, overwrite);
        Store(c + ldc, c10, c11, overwrite);
        Store(c + 2 * ldc, c20, c21, overwrite);
        Store(c + 3 * ldc, c30, c31, overwrite);
        Store(c + 4 * ldc, c40, c41, overwrite);
        Store(c + 5 * ldc, c50, c51, overwrite);
        Store(c + 6 * ldc, c60, c61, overwrite);
        Store(c + 7 * ldc, c70, c71, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> lo, Vector512<float> hi, bool overwrite)
    {
        if (!overwrite)
        {
            lo = Avx512F.Add(Avx512F.LoadVector512(c), lo);
            hi = Avx512F.Add(Avx512F.LoadVector512(c + 16), hi);
        }

        Avx512F.Store(c, lo);
        Avx512F.Store(c + 16, hi);
    }
}

/// <summary>AVX2 + FMA: 6 × 16 tile, 12 ymm accumulators (the classic Haswell shape).</summary>
internal readonly unsafe struct Avx2Kernel : IMicroKernel
{
    public static int MR => 6;

    public static int NR => 16;

    public static int KC => 256;

    public static int MC => 192;

    public static int NC => 3072;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            Vector256<float> ai = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(ai, b0, c00);
            c01 = Fma.MultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(ai, b0, c10);
            c11 = Fma.MultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(ai, b0, c20);
            c21 = Fma.MultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(ai, b0, c30);
            c31 = Fma.MultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(ai, b0, c40);
            c41 = Fma.MultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(ai, b0, c50);
            c51 = Fma.MultiplyAdd(ai, b1, c51);
            a += 6;
            b += 16;
        }

        Store(c, c00, c01, overwrite);
        Store(c + ldc, c10, c11, overwrite);
        Store(c + 2 * ldc, c20, c21, overwrite);
        Store(c + 3 * ldc, c30, c31, overwrite);
        Store(c + 4 * ldc, c40, c41, overwrite);
        Store(c + 5 * ldc, c50, c51, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> lo, Vector256<float> hi, bool overwrite)
    {
        if (!overwrite)
        {
            lo = Avx.Add(Avx.LoadVector256(c), lo);
            hi = Avx.Add(Avx.LoadVector256(c + 8), hi);
        }

        Avx.Store(c, lo);
        Avx.Store(c + 8, hi);
    }
}

/// <summary>Portable fallback: 4 × (2·Vector&lt;float&gt;.Count) tile with separate multiply and add (no FMA required).</summary>
internal readonly unsafe struct PortableKernel : IMicroKernel
{
    public static int MR => 4;

    public static int NR => 2 * Vector<float>.Count;

    public static int KC => 256;

    public static int MC => 128;

    public static int NC => 2048;

    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite)
    {
        int w = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector<float> b0 = Unsafe.ReadUnaligned<Vector<float>>(b);
            Vector<float> b1 = Unsafe.ReadUnaligned<Vector<float>>(b + w);
            var ai = new Vector<float>(a[0]);
            c00 += ai * b0;
            c01 += ai * b1;
            ai = new Vector<float>(a[1]);
            c10 += ai * b0;
            c11 += ai * b1;
            ai = new Vector<float>(a[2]);
            c20 += ai * b0;
            c21 += ai * b1;
            ai = new Vector<float>(a[3]);
            c30 += ai * b0;
            c31 += ai * b1;
            a += 4;
            b += 2 * w;
        }

        Store(c, c00, c01, overwrite);
        Store(c + ldc, c10, c11, overwrite);
        Store(c + 2 * ldc, c20, c21, overwrite);
        Store(c + 3 * ldc, c30, c31, overwrite);
    }

    private static void Store(float* c, Vector<float> lo, Vector<float> hi, bool overwrite)
    {
        int w = Vector<float>.Count;
        if (!overwrite)
        {
            lo = Unsafe.ReadUnaligned<Vector<float>>(c) + lo;
            hi = Unsafe.ReadUnaligned<Vector<float>>(c + w) + hi;
        }

        Unsafe.WriteUnaligned(c, lo);
        Unsafe.WriteUnaligned(c + w, hi);
    }
}
