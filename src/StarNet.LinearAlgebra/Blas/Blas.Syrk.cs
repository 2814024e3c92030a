using System.Numerics;
using StarNet.LinearAlgebra.Blas3;

namespace StarNet.LinearAlgebra;

public static partial class Blas
{
    /// <summary>
    /// Symmetric rank-k update of one triangle (BLAS xSYRK): with <see cref="MatrixOp.None"/>,
    /// <c>C := alpha A A^T + beta C</c> (A is n x k); with <see cref="MatrixOp.Transpose"/>,
    /// <c>C := alpha A^T A + beta C</c> (A is k x n, the Gram matrix of A's columns). Only the
    /// <paramref name="uplo"/> triangle of C (diagonal included) is read or written; the other is left untouched.
    /// The packed GEMM micro-kernel runs on every micro-tile that meets the triangle (tiles crossing the diagonal
    /// are computed into scratch and their triangle merged), so about half the flops of the full product are spent,
    /// at GEMM's rate. Threads split the triangle by area; results do not depend on the thread count.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="uplo">The triangle of C to update.</param>
    /// <param name="op">Which product: A A^T (None) or A^T A (Transpose).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Matrix A.</param>
    /// <param name="beta">Scale of the old C; zero ignores what C held.</param>
    /// <param name="c">The square matrix C of order n; must not overlap A.</param>
    /// <exception cref="ArgumentException">C is not square of the right order, or overlaps A.</exception>
    public static void Syrk<T>(Triangle uplo, MatrixOp op, T alpha, ReadOnlyMatrixSpan<T> a, T beta, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.NoOverlap(c, a, "C", "A");
        SyrkWidening(uplo, op, alpha, a, beta, c);
    }

    /// <summary>
    /// <see cref="Syrk{T}"/> with C in a type at least as wide as A's (float A, double C: the Gram matrix of float
    /// data accumulated in double). A's values are converted exactly while they are packed, so there is no
    /// conversion pass and the update runs at the rate of <typeparamref name="T"/>'s kernel. A and C must not overlap.
    /// </summary>
    /// <typeparam name="TIn">A's element type (float or double).</typeparam>
    /// <typeparam name="T">C's element type (float or double), at least as wide as <typeparamref name="TIn"/>.</typeparam>
    /// <param name="uplo">The triangle of C to update.</param>
    /// <param name="op">Which product: A A^T (None) or A^T A (Transpose).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Matrix A.</param>
    /// <param name="beta">Scale of the old C; zero ignores what C held.</param>
    /// <param name="c">The square matrix C of order n.</param>
    /// <exception cref="ArgumentException">C is not square of the right order, or T is narrower than TIn.</exception>
    internal static unsafe void SyrkWidening<TIn, T>(Triangle uplo, MatrixOp op, T alpha, ReadOnlyMatrixSpan<TIn> a, T beta, MatrixSpan<T> c)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<TIn>();
        Guard.SupportedType<T>();
        Guard.Op(op, nameof(op));
        if (sizeof(T) < sizeof(TIn))
        {
            throw new ArgumentException($"SYRK: C ({typeof(T).Name}) must be at least as wide as A ({typeof(TIn).Name}).", nameof(c));
        }

        int n = op == MatrixOp.None ? a.Rows : a.Cols;
        int k = op == MatrixOp.None ? a.Cols : a.Rows;
        if (c.Rows != n || c.Cols != n)
        {
            throw new ArgumentException(
                $"SYRK: {(op == MatrixOp.None ? "A A^T" : "A^T A")} with A {Guard.Shape(a)} is {n}x{n}, but C is {c.Rows}x{c.Cols}.", nameof(c));
        }

        if (n == 0)
        {
            return;
        }

        fixed (TIn* pa = &Guard.Ref(a))
        fixed (T* pc = &Guard.Ref(c))
        {
            SyrkDriver.Run(uplo == Triangle.Lower, op == MatrixOp.Transpose, alpha, pa, a.Stride, beta, pc, c.Stride, n, k);
        }
    }
}
