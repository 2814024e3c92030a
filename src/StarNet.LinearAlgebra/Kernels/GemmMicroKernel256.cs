using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// AVX2/FMA GEMM micro-kernel: a 6 x (2 x Vector256&lt;T&gt;.Count) register tile, 12 accumulators.
/// Each k step loads two vectors of the B micro-panel and broadcasts the MR values of the A micro-panel:
/// <code>
///            b0        b1          (one k step of Bp: NR = 2 vectors)
///   a0  [ c00 ]   [ c01 ]
///   a1  [ c10 ]   [ c11 ]          c_i += broadcast(a_i) * b  (FMA)
///   ...
/// </code>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe struct GemmMicroKernel256<T> : IGemmMicroKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static int MR => 6;

    /// <inheritdoc/>
    public static int NR => 2 * Vector256<T>.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default;
        Vector256<T> c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default;
        Vector256<T> c40 = default, c41 = default;
        Vector256<T> c50 = default, c51 = default;
        // Touch C's tile rows now, so their cache misses overlap the k loop instead of stalling the stores.
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(c + (0 * ldc));
            Sse.Prefetch0(c + (0 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (1 * ldc));
            Sse.Prefetch0(c + (1 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (2 * ldc));
            Sse.Prefetch0(c + (2 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (3 * ldc));
            Sse.Prefetch0(c + (3 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (4 * ldc));
            Sse.Prefetch0(c + (4 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (5 * ldc));
            Sse.Prefetch0(c + (5 * ldc) + (2 * w) - 1);
        }

        // The k loop, unrolled by four (the JIT does not unroll): per step two vector loads of Bp, MR broadcasts of Ap.
        Vector256<T> b0, b1, a0;
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            b0 = Vector256.Load(b + (0 * w));
            b1 = Vector256.Load(b + (1 * w));
            a0 = Vector256.Create(a[0]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector256.Create(a[1]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector256.Create(a[2]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector256.Create(a[3]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector256.Create(a[4]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector256.Create(a[5]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            b0 = Vector256.Load(b + (2 * w));
            b1 = Vector256.Load(b + (3 * w));
            a0 = Vector256.Create(a[6]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector256.Create(a[7]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector256.Create(a[8]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector256.Create(a[9]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector256.Create(a[10]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector256.Create(a[11]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            b0 = Vector256.Load(b + (4 * w));
            b1 = Vector256.Load(b + (5 * w));
            a0 = Vector256.Create(a[12]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector256.Create(a[13]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector256.Create(a[14]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector256.Create(a[15]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector256.Create(a[16]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector256.Create(a[17]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            b0 = Vector256.Load(b + (6 * w));
            b1 = Vector256.Load(b + (7 * w));
            a0 = Vector256.Create(a[18]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector256.Create(a[19]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector256.Create(a[20]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector256.Create(a[21]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector256.Create(a[22]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector256.Create(a[23]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            a += 24;
            b += 8 * w;
        }

        for (; p < kc; p++)
        {
            b0 = Vector256.Load(b + (0 * w));
            b1 = Vector256.Load(b + (1 * w));
            a0 = Vector256.Create(a[0]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector256.Create(a[1]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector256.Create(a[2]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector256.Create(a[3]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector256.Create(a[4]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector256.Create(a[5]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            a += 6;
            b += 2 * w;
        }


        Vector256<T> va = Vector256.Create(alpha);
        if (beta == T.Zero)
        {
            (va * c00).Store(c + (0 * ldc));
            (va * c01).Store(c + (0 * ldc) + w);
            (va * c10).Store(c + (1 * ldc));
            (va * c11).Store(c + (1 * ldc) + w);
            (va * c20).Store(c + (2 * ldc));
            (va * c21).Store(c + (2 * ldc) + w);
            (va * c30).Store(c + (3 * ldc));
            (va * c31).Store(c + (3 * ldc) + w);
            (va * c40).Store(c + (4 * ldc));
            (va * c41).Store(c + (4 * ldc) + w);
            (va * c50).Store(c + (5 * ldc));
            (va * c51).Store(c + (5 * ldc) + w);
        }
        else
        {
            Vector256<T> vb = Vector256.Create(beta);
            Fma(va, c00, vb * Vector256.Load(c + (0 * ldc))).Store(c + (0 * ldc));
            Fma(va, c01, vb * Vector256.Load(c + (0 * ldc) + w)).Store(c + (0 * ldc) + w);
            Fma(va, c10, vb * Vector256.Load(c + (1 * ldc))).Store(c + (1 * ldc));
            Fma(va, c11, vb * Vector256.Load(c + (1 * ldc) + w)).Store(c + (1 * ldc) + w);
            Fma(va, c20, vb * Vector256.Load(c + (2 * ldc))).Store(c + (2 * ldc));
            Fma(va, c21, vb * Vector256.Load(c + (2 * ldc) + w)).Store(c + (2 * ldc) + w);
            Fma(va, c30, vb * Vector256.Load(c + (3 * ldc))).Store(c + (3 * ldc));
            Fma(va, c31, vb * Vector256.Load(c + (3 * ldc) + w)).Store(c + (3 * ldc) + w);
            Fma(va, c40, vb * Vector256.Load(c + (4 * ldc))).Store(c + (4 * ldc));
            Fma(va, c41, vb * Vector256.Load(c + (4 * ldc) + w)).Store(c + (4 * ldc) + w);
            Fma(va, c50, vb * Vector256.Load(c + (5 * ldc))).Store(c + (5 * ldc));
            Fma(va, c51, vb * Vector256.Load(c + (5 * ldc) + w)).Store(c + (5 * ldc) + w);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>();
        }

        return Vector256.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
    }
}
