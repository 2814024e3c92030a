using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// AVX-512 GEMM micro-kernel: a 12 x (2 x Vector512&lt;T&gt;.Count) register tile, 24 accumulators.
/// Each k step loads two vectors of the B micro-panel and broadcasts the MR values of the A micro-panel:
/// <code>
///            b0        b1          (one k step of Bp: NR = 2 vectors)
///   a0  [ c00 ]   [ c01 ]
///   a1  [ c10 ]   [ c11 ]          c_i += broadcast(a_i) * b  (FMA)
///   ...
/// </code>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe struct GemmMicroKernel512<T> : IGemmMicroKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static int MR => 12;

    /// <inheritdoc/>
    public static int NR => 2 * Vector512<T>.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default;
        Vector512<T> c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default;
        Vector512<T> c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default;
        Vector512<T> c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default;
        Vector512<T> c100 = default, c101 = default;
        Vector512<T> c110 = default, c111 = default;
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
            Sse.Prefetch0(c + (6 * ldc));
            Sse.Prefetch0(c + (6 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (7 * ldc));
            Sse.Prefetch0(c + (7 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (8 * ldc));
            Sse.Prefetch0(c + (8 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (9 * ldc));
            Sse.Prefetch0(c + (9 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (10 * ldc));
            Sse.Prefetch0(c + (10 * ldc) + (2 * w) - 1);
            Sse.Prefetch0(c + (11 * ldc));
            Sse.Prefetch0(c + (11 * ldc) + (2 * w) - 1);
        }

        // The k loop, unrolled by four (the JIT does not unroll): per step two vector loads of Bp, MR broadcasts of Ap.
        Vector512<T> b0, b1, a0;
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            b0 = Vector512.Load(b + (0 * w));
            b1 = Vector512.Load(b + (1 * w));
            a0 = Vector512.Create(a[0]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector512.Create(a[1]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector512.Create(a[2]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector512.Create(a[3]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector512.Create(a[4]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector512.Create(a[5]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            a0 = Vector512.Create(a[6]);
            c60 = Fma(a0, b0, c60);
            c61 = Fma(a0, b1, c61);
            a0 = Vector512.Create(a[7]);
            c70 = Fma(a0, b0, c70);
            c71 = Fma(a0, b1, c71);
            a0 = Vector512.Create(a[8]);
            c80 = Fma(a0, b0, c80);
            c81 = Fma(a0, b1, c81);
            a0 = Vector512.Create(a[9]);
            c90 = Fma(a0, b0, c90);
            c91 = Fma(a0, b1, c91);
            a0 = Vector512.Create(a[10]);
            c100 = Fma(a0, b0, c100);
            c101 = Fma(a0, b1, c101);
            a0 = Vector512.Create(a[11]);
            c110 = Fma(a0, b0, c110);
            c111 = Fma(a0, b1, c111);
            b0 = Vector512.Load(b + (2 * w));
            b1 = Vector512.Load(b + (3 * w));
            a0 = Vector512.Create(a[12]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector512.Create(a[13]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector512.Create(a[14]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector512.Create(a[15]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector512.Create(a[16]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector512.Create(a[17]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            a0 = Vector512.Create(a[18]);
            c60 = Fma(a0, b0, c60);
            c61 = Fma(a0, b1, c61);
            a0 = Vector512.Create(a[19]);
            c70 = Fma(a0, b0, c70);
            c71 = Fma(a0, b1, c71);
            a0 = Vector512.Create(a[20]);
            c80 = Fma(a0, b0, c80);
            c81 = Fma(a0, b1, c81);
            a0 = Vector512.Create(a[21]);
            c90 = Fma(a0, b0, c90);
            c91 = Fma(a0, b1, c91);
            a0 = Vector512.Create(a[22]);
            c100 = Fma(a0, b0, c100);
            c101 = Fma(a0, b1, c101);
            a0 = Vector512.Create(a[23]);
            c110 = Fma(a0, b0, c110);
            c111 = Fma(a0, b1, c111);
            b0 = Vector512.Load(b + (4 * w));
            b1 = Vector512.Load(b + (5 * w));
            a0 = Vector512.Create(a[24]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector512.Create(a[25]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector512.Create(a[26]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector512.Create(a[27]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector512.Create(a[28]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector512.Create(a[29]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            a0 = Vector512.Create(a[30]);
            c60 = Fma(a0, b0, c60);
            c61 = Fma(a0, b1, c61);
            a0 = Vector512.Create(a[31]);
            c70 = Fma(a0, b0, c70);
            c71 = Fma(a0, b1, c71);
            a0 = Vector512.Create(a[32]);
            c80 = Fma(a0, b0, c80);
            c81 = Fma(a0, b1, c81);
            a0 = Vector512.Create(a[33]);
            c90 = Fma(a0, b0, c90);
            c91 = Fma(a0, b1, c91);
            a0 = Vector512.Create(a[34]);
            c100 = Fma(a0, b0, c100);
            c101 = Fma(a0, b1, c101);
            a0 = Vector512.Create(a[35]);
            c110 = Fma(a0, b0, c110);
            c111 = Fma(a0, b1, c111);
            b0 = Vector512.Load(b + (6 * w));
            b1 = Vector512.Load(b + (7 * w));
            a0 = Vector512.Create(a[36]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector512.Create(a[37]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector512.Create(a[38]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector512.Create(a[39]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector512.Create(a[40]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector512.Create(a[41]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            a0 = Vector512.Create(a[42]);
            c60 = Fma(a0, b0, c60);
            c61 = Fma(a0, b1, c61);
            a0 = Vector512.Create(a[43]);
            c70 = Fma(a0, b0, c70);
            c71 = Fma(a0, b1, c71);
            a0 = Vector512.Create(a[44]);
            c80 = Fma(a0, b0, c80);
            c81 = Fma(a0, b1, c81);
            a0 = Vector512.Create(a[45]);
            c90 = Fma(a0, b0, c90);
            c91 = Fma(a0, b1, c91);
            a0 = Vector512.Create(a[46]);
            c100 = Fma(a0, b0, c100);
            c101 = Fma(a0, b1, c101);
            a0 = Vector512.Create(a[47]);
            c110 = Fma(a0, b0, c110);
            c111 = Fma(a0, b1, c111);
            a += 48;
            b += 8 * w;
        }

        for (; p < kc; p++)
        {
            b0 = Vector512.Load(b + (0 * w));
            b1 = Vector512.Load(b + (1 * w));
            a0 = Vector512.Create(a[0]);
            c00 = Fma(a0, b0, c00);
            c01 = Fma(a0, b1, c01);
            a0 = Vector512.Create(a[1]);
            c10 = Fma(a0, b0, c10);
            c11 = Fma(a0, b1, c11);
            a0 = Vector512.Create(a[2]);
            c20 = Fma(a0, b0, c20);
            c21 = Fma(a0, b1, c21);
            a0 = Vector512.Create(a[3]);
            c30 = Fma(a0, b0, c30);
            c31 = Fma(a0, b1, c31);
            a0 = Vector512.Create(a[4]);
            c40 = Fma(a0, b0, c40);
            c41 = Fma(a0, b1, c41);
            a0 = Vector512.Create(a[5]);
            c50 = Fma(a0, b0, c50);
            c51 = Fma(a0, b1, c51);
            a0 = Vector512.Create(a[6]);
            c60 = Fma(a0, b0, c60);
            c61 = Fma(a0, b1, c61);
            a0 = Vector512.Create(a[7]);
            c70 = Fma(a0, b0, c70);
            c71 = Fma(a0, b1, c71);
            a0 = Vector512.Create(a[8]);
            c80 = Fma(a0, b0, c80);
            c81 = Fma(a0, b1, c81);
            a0 = Vector512.Create(a[9]);
            c90 = Fma(a0, b0, c90);
            c91 = Fma(a0, b1, c91);
            a0 = Vector512.Create(a[10]);
            c100 = Fma(a0, b0, c100);
            c101 = Fma(a0, b1, c101);
            a0 = Vector512.Create(a[11]);
            c110 = Fma(a0, b0, c110);
            c111 = Fma(a0, b1, c111);
            a += 12;
            b += 2 * w;
        }


        Vector512<T> va = Vector512.Create(alpha);
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
            (va * c60).Store(c + (6 * ldc));
            (va * c61).Store(c + (6 * ldc) + w);
            (va * c70).Store(c + (7 * ldc));
            (va * c71).Store(c + (7 * ldc) + w);
            (va * c80).Store(c + (8 * ldc));
            (va * c81).Store(c + (8 * ldc) + w);
            (va * c90).Store(c + (9 * ldc));
            (va * c91).Store(c + (9 * ldc) + w);
            (va * c100).Store(c + (10 * ldc));
            (va * c101).Store(c + (10 * ldc) + w);
            (va * c110).Store(c + (11 * ldc));
            (va * c111).Store(c + (11 * ldc) + w);
        }
        else
        {
            Vector512<T> vb = Vector512.Create(beta);
            Fma(va, c00, vb * Vector512.Load(c + (0 * ldc))).Store(c + (0 * ldc));
            Fma(va, c01, vb * Vector512.Load(c + (0 * ldc) + w)).Store(c + (0 * ldc) + w);
            Fma(va, c10, vb * Vector512.Load(c + (1 * ldc))).Store(c + (1 * ldc));
            Fma(va, c11, vb * Vector512.Load(c + (1 * ldc) + w)).Store(c + (1 * ldc) + w);
            Fma(va, c20, vb * Vector512.Load(c + (2 * ldc))).Store(c + (2 * ldc));
            Fma(va, c21, vb * Vector512.Load(c + (2 * ldc) + w)).Store(c + (2 * ldc) + w);
            Fma(va, c30, vb * Vector512.Load(c + (3 * ldc))).Store(c + (3 * ldc));
            Fma(va, c31, vb * Vector512.Load(c + (3 * ldc) + w)).Store(c + (3 * ldc) + w);
            Fma(va, c40, vb * Vector512.Load(c + (4 * ldc))).Store(c + (4 * ldc));
            Fma(va, c41, vb * Vector512.Load(c + (4 * ldc) + w)).Store(c + (4 * ldc) + w);
            Fma(va, c50, vb * Vector512.Load(c + (5 * ldc))).Store(c + (5 * ldc));
            Fma(va, c51, vb * Vector512.Load(c + (5 * ldc) + w)).Store(c + (5 * ldc) + w);
            Fma(va, c60, vb * Vector512.Load(c + (6 * ldc))).Store(c + (6 * ldc));
            Fma(va, c61, vb * Vector512.Load(c + (6 * ldc) + w)).Store(c + (6 * ldc) + w);
            Fma(va, c70, vb * Vector512.Load(c + (7 * ldc))).Store(c + (7 * ldc));
            Fma(va, c71, vb * Vector512.Load(c + (7 * ldc) + w)).Store(c + (7 * ldc) + w);
            Fma(va, c80, vb * Vector512.Load(c + (8 * ldc))).Store(c + (8 * ldc));
            Fma(va, c81, vb * Vector512.Load(c + (8 * ldc) + w)).Store(c + (8 * ldc) + w);
            Fma(va, c90, vb * Vector512.Load(c + (9 * ldc))).Store(c + (9 * ldc));
            Fma(va, c91, vb * Vector512.Load(c + (9 * ldc) + w)).Store(c + (9 * ldc) + w);
            Fma(va, c100, vb * Vector512.Load(c + (10 * ldc))).Store(c + (10 * ldc));
            Fma(va, c101, vb * Vector512.Load(c + (10 * ldc) + w)).Store(c + (10 * ldc) + w);
            Fma(va, c110, vb * Vector512.Load(c + (11 * ldc))).Store(c + (11 * ldc));
            Fma(va, c111, vb * Vector512.Load(c + (11 * ldc) + w)).Store(c + (11 * ldc) + w);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>();
        }

        return Vector512.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
    }
}
