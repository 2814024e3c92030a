using System.Numerics;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra;

public static partial class Blas
{
    /// <summary>Order of the diagonal blocks of <see cref="Syrk{T}"/>.</summary>
    internal const int SyrkBlockSize = 128;

    /// <summary>
    /// Symmetric rank-k update of one triangle (BLAS xSYRK): with <see cref="MatrixOp.None"/>,
    /// <c>C := alpha A A^T + beta C</c> (A is n x k); with <see cref="MatrixOp.Transpose"/>,
    /// <c>C := alpha A^T A + beta C</c> (A is k x n, the Gram matrix of A's columns). Only the
    /// <paramref name="uplo"/> triangle of C (diagonal included) is read or written; the other is left untouched.
    /// Off-diagonal blocks go through GEMM; diagonal blocks are computed whole into scratch and their triangle
    /// merged, so about half the flops of the full product are spent.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="uplo">The triangle of C to update.</param>
    /// <param name="op">Which product: A A^T (None) or A^T A (Transpose).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Matrix A.</param>
    /// <param name="beta">Scale of the old C; zero ignores what C held.</param>
    /// <param name="c">The square matrix C of order n; must not overlap A.</param>
    /// <exception cref="ArgumentException">C is not square of the right order, or overlaps A.</exception>
    public static unsafe void Syrk<T>(Triangle uplo, MatrixOp op, T alpha, ReadOnlyMatrixSpan<T> a, T beta, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        Guard.Op(op, nameof(op));
        int n = op == MatrixOp.None ? a.Rows : a.Cols;
        int k = op == MatrixOp.None ? a.Cols : a.Rows;
        if (c.Rows != n || c.Cols != n)
        {
            throw new ArgumentException(
                $"SYRK: {(op == MatrixOp.None ? "A A^T" : "A^T A")} with A {Guard.Shape(a)} is {n}x{n}, but C is {c.Rows}x{c.Cols}.", nameof(c));
        }

        Guard.NoOverlap(c, a, "C", "A");
        bool lower = uplo == Triangle.Lower;
        MatrixOp opT = op == MatrixOp.None ? MatrixOp.Transpose : MatrixOp.None;
        for (int i0 = 0; i0 < n; i0 += SyrkBlockSize)
        {
            int ni = Math.Min(SyrkBlockSize, n - i0);
            ReadOnlyMatrixSpan<T> ai = op == MatrixOp.None ? a.Slice(i0, 0, ni, k) : a.Slice(0, i0, k, ni);

            // Off-diagonal part of this block row: left of the diagonal (lower) or right of it (upper).
            int j0 = lower ? 0 : i0 + ni;
            int nj = lower ? i0 : n - i0 - ni;
            if (nj > 0)
            {
                ReadOnlyMatrixSpan<T> aj = op == MatrixOp.None ? a.Slice(j0, 0, nj, k) : a.Slice(0, j0, k, nj);
                Gemm(alpha, ai, op, aj, opT, beta, c.Slice(i0, j0, ni, nj));
            }

            // Diagonal block: full product into scratch, then merge the wanted triangle.
            T* scratch = ThreadScratch.Get<T>(ThreadScratch.Syrk, (nint)ni * ni);
            var d = new MatrixSpan<T>(new Span<T>(scratch, ni * ni), ni, ni, ni);
            Gemm(alpha, ai, op, ai, opT, T.Zero, d);
            for (int r = 0; r < ni; r++)
            {
                int c0 = lower ? 0 : r;
                int c1 = lower ? r + 1 : ni;
                Span<T> dst = c.Row(i0 + r);
                Span<T> src = d.Row(r);
                for (int j = c0; j < c1; j++)
                {
                    dst[i0 + j] = beta == T.Zero ? src[j] : src[j] + (beta * dst[i0 + j]);
                }
            }
        }
    }
}
