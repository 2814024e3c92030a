using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StarNet.LinearAlgebra;

public static partial class Blas
{
    /// <summary>
    /// Matrix-vector multiply (BLAS xGEMV): <c>y := alpha op(A) x + beta y</c>. With beta zero, y is overwritten
    /// without being read. Single-threaded and allocation-free, for latency-critical single solves.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Matrix A.</param>
    /// <param name="opA">Whether A enters transposed.</param>
    /// <param name="x">Input vector, length = columns of op(A).</param>
    /// <param name="beta">Scale of the old y.</param>
    /// <param name="y">Output vector, length = rows of op(A); must not overlap A or x.</param>
    /// <exception cref="ArgumentException">A length does not match, or y overlaps an input.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gemv<T>(T alpha, ReadOnlyMatrixSpan<T> a, MatrixOp opA, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        Guard.Op(opA, nameof(opA));
        (int m, int n) = Guard.OpShape(a, opA);
        if (x.Length != n || y.Length != m)
        {
            throw new ArgumentException(
                $"GEMV shapes do not conform: op(A) is {Guard.Shape(a.Rows, a.Cols, opA)}, x has {x.Length} entries (need {n}), y has {y.Length} (need {m}).",
                nameof(y));
        }

        if ((!a.IsEmpty && y.Overlaps(a.Span)) || y.Overlaps(x))
        {
            throw new ArgumentException("GEMV: y overlaps A or x; the operation needs separate storage.", nameof(y));
        }

        if (opA == MatrixOp.None)
        {
            GemvRows(alpha, a, x, beta, y);
            return;
        }

        // y := beta y + sum_i (alpha x_i) A_i: axpy over the contiguous rows of A.
        if (beta == T.Zero)
        {
            y.Clear();
        }
        else if (beta != T.One)
        {
            TensorPrimitives.Multiply(y, beta, y);
        }

        for (int i = 0; i < a.Rows; i++)
        {
            T s = alpha * x[i];
            if (s != T.Zero)
            {
                TensorPrimitives.MultiplyAdd(a.Row(i), s, y, y);
            }
        }
    }

    /// <summary>y_i := alpha dot(A_i, x) + beta y_i, four rows at a time so each load of x feeds four FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GemvRows<T>(T alpha, ReadOnlyMatrixSpan<T> a, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, n = a.Cols;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            ref T xr = ref MemoryMarshal.GetReference(x);
            int w = Vector256<T>.Count;
            for (; i + 4 <= m; i += 4)
            {
                ref T r0 = ref MemoryMarshal.GetReference(a.Row(i));
                ref T r1 = ref MemoryMarshal.GetReference(a.Row(i + 1));
                ref T r2 = ref MemoryMarshal.GetReference(a.Row(i + 2));
                ref T r3 = ref MemoryMarshal.GetReference(a.Row(i + 3));
                Vector256<T> s0 = Vector256<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
                int j = 0;
                for (; j + w <= n; j += w)
                {
                    Vector256<T> xv = Vector256.LoadUnsafe(ref xr, (nuint)j);
                    s0 = Fma(Vector256.LoadUnsafe(ref r0, (nuint)j), xv, s0);
                    s1 = Fma(Vector256.LoadUnsafe(ref r1, (nuint)j), xv, s1);
                    s2 = Fma(Vector256.LoadUnsafe(ref r2, (nuint)j), xv, s2);
                    s3 = Fma(Vector256.LoadUnsafe(ref r3, (nuint)j), xv, s3);
                }

                T d0 = Vector256.Sum(s0), d1 = Vector256.Sum(s1), d2 = Vector256.Sum(s2), d3 = Vector256.Sum(s3);
                for (; j < n; j++)
                {
                    T xj = Unsafe.Add(ref xr, j);
                    d0 += Unsafe.Add(ref r0, j) * xj;
                    d1 += Unsafe.Add(ref r1, j) * xj;
                    d2 += Unsafe.Add(ref r2, j) * xj;
                    d3 += Unsafe.Add(ref r3, j) * xj;
                }

                y[i] = Combine(alpha, d0, beta, y[i]);
                y[i + 1] = Combine(alpha, d1, beta, y[i + 1]);
                y[i + 2] = Combine(alpha, d2, beta, y[i + 2]);
                y[i + 3] = Combine(alpha, d3, beta, y[i + 3]);
            }
        }

        for (; i < m; i++)
        {
            y[i] = Combine(alpha, TensorPrimitives.Dot(a.Row(i), x), beta, y[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Combine<T>(T alpha, T dot, T beta, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => beta == T.Zero ? alpha * dot : (alpha * dot) + (beta * y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>();
        }

        return Vector256.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
    }
}
