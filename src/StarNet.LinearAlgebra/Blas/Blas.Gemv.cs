using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using StarNet.LinearAlgebra.Factorizations;

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

    /// <summary>y_i := alpha dot(A_i, x) + beta y_i, four rows at a time so each load of x feeds four FMAs (<see cref="VectorOps.Dot4{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GemvRows<T>(T alpha, ReadOnlyMatrixSpan<T> a, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows;
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            VectorOps.Dot4(x, a.Row(i), a.Row(i + 1), a.Row(i + 2), a.Row(i + 3), out T d0, out T d1, out T d2, out T d3);
            y[i] = Combine(alpha, d0, beta, y[i]);
            y[i + 1] = Combine(alpha, d1, beta, y[i + 1]);
            y[i + 2] = Combine(alpha, d2, beta, y[i + 2]);
            y[i + 3] = Combine(alpha, d3, beta, y[i + 3]);
        }

        for (; i < m; i++)
        {
            y[i] = Combine(alpha, TensorPrimitives.Dot(a.Row(i), x), beta, y[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Combine<T>(T alpha, T dot, T beta, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => beta == T.Zero ? alpha * dot : (alpha * dot) + (beta * y);
}
