using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using StarNet.LinearAlgebra.Kernels;

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
            GemvRowsKernel.Run(alpha, a, x, beta, y);
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
}
