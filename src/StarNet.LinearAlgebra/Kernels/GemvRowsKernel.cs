using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// <c>y_i := alpha (A_i . x) + beta y_i</c> over the contiguous rows of a row-major A (BLAS xGEMV without
/// transpose): four rows at a time, so each vector load of x feeds four FMAs and four independent accumulator
/// chains hide the FMA latency. 512-bit vectors when the active instruction set is
/// <see cref="InstructionSet.Vector512"/>, 256-bit for <see cref="InstructionSet.Vector256"/>, a plain loop
/// otherwise (the reference the vector paths are tested against). The single right-hand-side pseudo-inverse solve
/// is this kernel (docs/lapack.md).
/// </summary>
internal static class GemvRowsKernel
{
    /// <summary>Runs the product; y must not overlap A or x and has one entry per row of A; x has A's column count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(T alpha, ReadOnlyMatrixSpan<T> a, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, n = a.Cols;
        if (m == 0)
        {
            return;
        }

        nint ld = a.Stride;
        ref T a0 = ref MemoryMarshal.GetReference(a.Span);
        ref T rx = ref MemoryMarshal.GetReference(x);
        InstructionSet isa = LinearAlgebraSettings.ActiveInstructionSet;
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            ref T r = ref Unsafe.Add(ref a0, i * ld);
            (T d0, T d1, T d2, T d3) = isa switch
            {
                InstructionSet.Vector512 => Dot4x512(ref r, ld, ref rx, n),
                InstructionSet.Vector256 => Dot4x256(ref r, ld, ref rx, n),
                _ => Dot4Scalar(ref r, ld, ref rx, 0, n),
            };
            y[i] = Combine(alpha, d0, beta, y[i]);
            y[i + 1] = Combine(alpha, d1, beta, y[i + 1]);
            y[i + 2] = Combine(alpha, d2, beta, y[i + 2]);
            y[i + 3] = Combine(alpha, d3, beta, y[i + 3]);
        }

        for (; i < m; i++)
        {
            ref T r = ref Unsafe.Add(ref a0, i * ld);
            T d = T.Zero;
            for (int j = 0; j < n; j++)
            {
                d += Unsafe.Add(ref r, j) * Unsafe.Add(ref rx, j);
            }

            y[i] = Combine(alpha, d, beta, y[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Combine<T>(T alpha, T dot, T beta, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => beta == T.Zero ? alpha * dot : (alpha * dot) + (beta * y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (T, T, T, T) Dot4x512<T>(ref T r, nint ld, ref T x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count, j = 0;
        Vector512<T> v0 = Vector512<T>.Zero, v1 = Vector512<T>.Zero, v2 = Vector512<T>.Zero, v3 = Vector512<T>.Zero;
        for (; j + w <= n; j += w)
        {
            Vector512<T> xv = Vector512.LoadUnsafe(ref x, (nuint)j);
            ref T q = ref Unsafe.Add(ref r, j);
            v0 = Fma(Vector512.LoadUnsafe(ref q), xv, v0);
            v1 = Fma(Vector512.LoadUnsafe(ref Unsafe.Add(ref q, ld)), xv, v1);
            v2 = Fma(Vector512.LoadUnsafe(ref Unsafe.Add(ref q, 2 * ld)), xv, v2);
            v3 = Fma(Vector512.LoadUnsafe(ref Unsafe.Add(ref q, 3 * ld)), xv, v3);
        }

        (T t0, T t1, T t2, T t3) = Dot4Scalar(ref r, ld, ref x, j, n);
        return (Vector512.Sum(v0) + t0, Vector512.Sum(v1) + t1, Vector512.Sum(v2) + t2, Vector512.Sum(v3) + t3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (T, T, T, T) Dot4x256<T>(ref T r, nint ld, ref T x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count, j = 0;
        Vector256<T> v0 = Vector256<T>.Zero, v1 = Vector256<T>.Zero, v2 = Vector256<T>.Zero, v3 = Vector256<T>.Zero;
        for (; j + w <= n; j += w)
        {
            Vector256<T> xv = Vector256.LoadUnsafe(ref x, (nuint)j);
            ref T q = ref Unsafe.Add(ref r, j);
            v0 = Fma(Vector256.LoadUnsafe(ref q), xv, v0);
            v1 = Fma(Vector256.LoadUnsafe(ref Unsafe.Add(ref q, ld)), xv, v1);
            v2 = Fma(Vector256.LoadUnsafe(ref Unsafe.Add(ref q, 2 * ld)), xv, v2);
            v3 = Fma(Vector256.LoadUnsafe(ref Unsafe.Add(ref q, 3 * ld)), xv, v3);
        }

        (T t0, T t1, T t2, T t3) = Dot4Scalar(ref r, ld, ref x, j, n);
        return (Vector256.Sum(v0) + t0, Vector256.Sum(v1) + t1, Vector256.Sum(v2) + t2, Vector256.Sum(v3) + t3);
    }

    /// <summary>The four dot products over columns j0..n-1 (the tail of the vector paths, or the whole scalar path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (T, T, T, T) Dot4Scalar<T>(ref T r, nint ld, ref T x, int j0, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
        for (int j = j0; j < n; j++)
        {
            T xj = Unsafe.Add(ref x, j);
            ref T q = ref Unsafe.Add(ref r, j);
            s0 += q * xj;
            s1 += Unsafe.Add(ref q, ld) * xj;
            s2 += Unsafe.Add(ref q, 2 * ld) * xj;
            s3 += Unsafe.Add(ref q, 3 * ld) * xj;
        }

        return (s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>()
            : Vector512.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>()
            : Vector256.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
}
