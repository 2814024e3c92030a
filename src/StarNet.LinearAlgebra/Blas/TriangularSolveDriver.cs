using System.Numerics;
using System.Numerics.Tensors;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Blas3;

/// <summary>
/// Blocked triangular solve with many right-hand sides (BLAS xTRSM). Diagonal blocks of <see cref="BlockSize"/>
/// are solved by an unblocked kernel whose inner operation is a vectorized row update of B; the rest of B is
/// updated by GEMM, which carries almost all of the flops.
/// <code>
/// Left, op(A) lower (forward):          Right, op(A) upper (forward):
///   for each diagonal block k:            for each diagonal block k:
///     B_k := op(A)_kk^-1 B_k                B_k := B_k op(A)_kk^-1      (via a transposed chunk)
///     B_below -= op(A)_below,k B_k          B_right -= B_k op(A)_k,right
/// </code>
/// The other four cases run the same loops backwards.
/// </summary>
internal static unsafe class TriangularSolveDriver
{
    /// <summary>Order of the diagonal blocks.</summary>
    public const int BlockSize = 64;

    /// <summary>Rows of B transposed at once for a right-side diagonal solve.</summary>
    private const int RightChunk = 256;

    public static void Solve<T>(Side side, bool lower, bool trans, bool unit, T alpha, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (b.IsEmpty)
        {
            return;
        }

        if (alpha != T.One)
        {
            for (int i = 0; i < b.Rows; i++)
            {
                Span<T> row = b.Row(i);
                if (alpha == T.Zero)
                {
                    row.Clear();
                }
                else
                {
                    TensorPrimitives.Multiply(row, alpha, row);
                }
            }

            if (alpha == T.Zero)
            {
                return;
            }
        }

        int n = a.Rows;
        if (side == Side.Left)
        {
            // op(A) X = B. op(A) is lower when exactly one of (lower, trans) holds in the "lower" sense.
            bool forward = lower != trans;
            for (int step = 0; step < n; step += BlockSize)
            {
                int nb = Math.Min(BlockSize, n - step);
                int k0 = forward ? step : n - step - nb;
                MatrixSpan<T> bk = b.Slice(k0, 0, nb, b.Cols);
                SolveLeftUnblocked(a, trans, unit, k0, forward, bk);
                if (forward && k0 + nb < n)
                {
                    OpBlock(a, trans, k0 + nb, k0, n - k0 - nb, nb, out ReadOnlyMatrixSpan<T> blk, out MatrixOp op);
                    Blas.Gemm(-T.One, blk, op, bk, MatrixOp.None, T.One, b.Slice(k0 + nb, 0, n - k0 - nb, b.Cols));
                }
                else if (!forward && k0 > 0)
                {
                    OpBlock(a, trans, 0, k0, k0, nb, out ReadOnlyMatrixSpan<T> blk, out MatrixOp op);
                    Blas.Gemm(-T.One, blk, op, bk, MatrixOp.None, T.One, b.Slice(0, 0, k0, b.Cols));
                }
            }
        }
        else
        {
            // X op(A) = B. Columns of X come out in order when op(A) is upper.
            bool forward = lower == trans;
            for (int step = 0; step < n; step += BlockSize)
            {
                int nb = Math.Min(BlockSize, n - step);
                int k0 = forward ? step : n - step - nb;
                MatrixSpan<T> bk = b.Slice(0, k0, b.Rows, nb);
                SolveRightUnblocked(a, trans, unit, k0, nb, forward, bk);
                if (forward && k0 + nb < n)
                {
                    OpBlock(a, trans, k0, k0 + nb, nb, n - k0 - nb, out ReadOnlyMatrixSpan<T> blk, out MatrixOp op);
                    Blas.Gemm(-T.One, bk, MatrixOp.None, blk, op, T.One, b.Slice(0, k0 + nb, b.Rows, n - k0 - nb));
                }
                else if (!forward && k0 > 0)
                {
                    OpBlock(a, trans, k0, 0, nb, k0, out ReadOnlyMatrixSpan<T> blk, out MatrixOp op);
                    Blas.Gemm(-T.One, bk, MatrixOp.None, blk, op, T.One, b.Slice(0, 0, b.Rows, k0));
                }
            }
        }
    }

    /// <summary>The block rows r0.., cols c0.. of op(A) as a view of A plus the op that produces it.</summary>
    private static void OpBlock<T>(ReadOnlyMatrixSpan<T> a, bool trans, int r0, int c0, int rows, int cols, out ReadOnlyMatrixSpan<T> block, out MatrixOp op)
        where T : unmanaged
    {
        if (trans)
        {
            block = a.Slice(c0, r0, cols, rows);
            op = MatrixOp.Transpose;
        }
        else
        {
            block = a.Slice(r0, c0, rows, cols);
            op = MatrixOp.None;
        }
    }

    private static T OpAt<T>(ReadOnlyMatrixSpan<T> a, bool trans, int i, int j)
        where T : unmanaged => trans ? a[j, i] : a[i, j];

    /// <summary>op(A)_kk X = B for the diagonal block at k0, B being nb rows of contiguous rows; row updates are vectorized.</summary>
    private static void SolveLeftUnblocked<T>(ReadOnlyMatrixSpan<T> a, bool trans, bool unit, int k0, bool forward, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nb = b.Rows;
        for (int s = 0; s < nb; s++)
        {
            int i = forward ? s : nb - 1 - s;
            Span<T> row = b.Row(i);
            for (int t = 0; t < s; t++)
            {
                int k = forward ? t : nb - 1 - t;
                T d = OpAt(a, trans, k0 + i, k0 + k);
                if (d != T.Zero)
                {
                    TensorPrimitives.MultiplyAdd(b.Row(k), -d, row, row);
                }
            }

            if (!unit)
            {
                TensorPrimitives.Divide(row, OpAt(a, trans, k0 + i, k0 + i), row);
            }
        }
    }

    /// <summary>
    /// X op(A)_kk = B for the diagonal block at k0 (B: all rows, nb columns). Chunks of rows are transposed into
    /// scratch so that the solve becomes op(A)_kk^T X^T = B^T, a left solve with vectorized row updates.
    /// </summary>
    private static void SolveRightUnblocked<T>(ReadOnlyMatrixSpan<T> a, bool trans, bool unit, int k0, int nb, bool forward, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* scratch = ThreadScratch.Get<T>(ThreadScratch.Trsm, (nint)nb * RightChunk);
        for (int r0 = 0; r0 < b.Rows; r0 += RightChunk)
        {
            int rows = Math.Min(RightChunk, b.Rows - r0);
            var bt = new MatrixSpan<T>(new Span<T>(scratch, nb * rows), nb, rows, rows);
            fixed (T* b0 = b.Row(r0))
            {
                Transpose(b0, b.Stride, scratch, rows, rows, nb);
            }

            // (op(A)_kk)^T = op'(A)_kk with the transpose flag flipped; upper becomes lower, so the direction is kept.
            SolveLeftUnblocked(a, !trans, unit, k0, forward, bt);
            fixed (T* b0 = b.Row(r0))
            {
                Transpose(scratch, rows, b0, b.Stride, nb, rows);
            }
        }
    }

    /// <summary>dst (cols x rows, row stride ldd) := src^T, src being rows x cols with row stride lds; tiles of 8 x 8 keep both sides in cache lines.</summary>
    private static void Transpose<T>(T* src, nint lds, T* dst, nint ldd, int rows, int cols)
        where T : unmanaged
    {
        const int Tile = 8;
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(i0 + Tile, rows);
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int j1 = Math.Min(j0 + Tile, cols);
                for (int i = i0; i < i1; i++)
                {
                    T* s = src + (i * lds);
                    for (int j = j0; j < j1; j++)
                    {
                        dst[(j * ldd) + i] = s[j];
                    }
                }
            }
        }
    }
}
