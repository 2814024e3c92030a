using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra.Blas3;

/// <summary>
/// Triangular matrix multiply (BLAS xTRMM) by recursive halving: the triangle is split in two, the off-diagonal
/// block is one packed GEMM and the two diagonal halves recurse, ordered so that every GEMM reads the part of B
/// that still holds its old value:
/// <code>
/// Left, upper:  [B1; B2] := [U11 B1 + U12 B2; U22 B2]   B1 := U11 B1; B1 += U12 B2; B2 := U22 B2
/// Left, lower:  [B1; B2] := [L11 B1; L21 B1 + L22 B2]   B2 := L22 B2; B2 += L21 B1; B1 := L11 B1
/// (right side: the mirror image)
/// </code>
/// Nearly all flops run in GEMM; triangles of order at most 16 are leaves handled with row operations.
/// </summary>
internal static class TriangularMultiplyDriver
{
    /// <summary>Triangles of at most this order are handled by the row-operation leaves.</summary>
    private const int TriangleLeaf = 16;

    /// <summary>Columns of B processed at once by a left-side leaf (keeps the leaf's rows in L1).</summary>
    private const int LeafColumnChunk = 256;

    /// <summary>B := alpha op(A) B (left) or alpha B op(A) (right), A triangular; see <see cref="Blas.Trmm{T}"/>.</summary>
    public static void Multiply<T>(Side side, Triangle uplo, MatrixOp op, DiagonalKind diag, T alpha, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (b.IsEmpty)
        {
            return;
        }

        if (alpha != T.One)
        {
            ScaleMatrix(alpha, b);
        }

        if (alpha != T.Zero)
        {
            Recurse(side, IsUpper(uplo, op), op, diag, a, b);
        }
    }

    /// <summary>B := alpha B.</summary>
    public static void ScaleMatrix<T>(T alpha, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < b.Rows; i++)
        {
            if (alpha == T.Zero)
            {
                b.Row(i).Clear();
            }
            else
            {
                VectorOps.Scale(alpha, b.Row(i));
            }
        }
    }

    /// <summary>Whether op(A) is upper triangular.</summary>
    private static bool IsUpper(Triangle uplo, MatrixOp op) => (uplo == Triangle.Upper) == (op == MatrixOp.None);

    /// <summary>Splits a triangle of order n at a multiple of the leaf size near n/2.</summary>
    private static int Split(int n) => n <= 2 * TriangleLeaf ? n / 2 : Math.Max(TriangleLeaf, (n / 2) / TriangleLeaf * TriangleLeaf);

    /// <summary>The block (r.., c..) of op(A) as a view of A to be used with <paramref name="op"/>.</summary>
    private static ReadOnlyMatrixSpan<T> OpBlock<T>(ReadOnlyMatrixSpan<T> a, MatrixOp op, int r, int c, int rows, int cols)
        where T : unmanaged =>
        op == MatrixOp.None ? a.Slice(r, c, rows, cols) : a.Slice(c, r, cols, rows);

    private static void Recurse<T>(Side side, bool upper, MatrixOp op, DiagonalKind diag, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        if (n <= TriangleLeaf)
        {
            Leaf(side, upper, op, diag, a, b);
            return;
        }

        int n1 = Split(n), n2 = n - n1;
        ReadOnlyMatrixSpan<T> a11 = a.Slice(0, 0, n1, n1), a22 = a.Slice(n1, n1, n2, n2);
        if (side == Side.Left)
        {
            MatrixSpan<T> b1 = b.Slice(0, 0, n1, b.Cols), b2 = b.Slice(n1, 0, n2, b.Cols);
            if (upper)
            {
                // [B1; B2] := [U11 B1 + U12 B2; U22 B2]: B1 first, while B2 still holds its old value.
                Recurse(side, upper, op, diag, a11, b1);
                Blas.Gemm(T.One, OpBlock(a, op, 0, n1, n1, n2), op, b2, MatrixOp.None, T.One, b1);
                Recurse(side, upper, op, diag, a22, b2);
            }
            else
            {
                // [B1; B2] := [L11 B1; L21 B1 + L22 B2]: B2 first, while B1 still holds its old value.
                Recurse(side, upper, op, diag, a22, b2);
                Blas.Gemm(T.One, OpBlock(a, op, n1, 0, n2, n1), op, b1, MatrixOp.None, T.One, b2);
                Recurse(side, upper, op, diag, a11, b1);
            }
        }
        else
        {
            MatrixSpan<T> b1 = b.Slice(0, 0, b.Rows, n1), b2 = b.Slice(0, n1, b.Rows, n2);
            if (upper)
            {
                // [B1 B2] := [B1 U11, B1 U12 + B2 U22]: B2 first, while B1 still holds its old value.
                Recurse(side, upper, op, diag, a22, b2);
                Blas.Gemm(T.One, b1, MatrixOp.None, OpBlock(a, op, 0, n1, n1, n2), op, T.One, b2);
                Recurse(side, upper, op, diag, a11, b1);
            }
            else
            {
                // [B1 B2] := [B1 L11 + B2 L21, B2 L22]: B1 first, while B2 still holds its old value.
                Recurse(side, upper, op, diag, a11, b1);
                Blas.Gemm(T.One, b2, MatrixOp.None, OpBlock(a, op, n1, 0, n2, n1), op, T.One, b1);
                Recurse(side, upper, op, diag, a22, b2);
            }
        }
    }

    /// <summary>
    /// The leaf: op(A) (order at most <see cref="TriangleLeaf"/>) is copied densely into a small stack matrix M
    /// (zeros outside the triangle, ones on a unit diagonal). On the left, each row of B becomes a combination of
    /// rows of B, taken in the order that reads only rows not yet overwritten, over column chunks that stay in L1;
    /// on the right, each row of B is replaced by row * M, a sum of rows of M.
    /// </summary>
    private static void Leaf<T>(Side side, bool upper, MatrixOp op, DiagonalKind diag, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        Span<T> mStore = stackalloc T[TriangleLeaf * TriangleLeaf];
        Span<T> tmp = stackalloc T[TriangleLeaf];
        var m = new MatrixSpan<T>(mStore, n, n, TriangleLeaf);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                bool inside = upper ? j >= i : j <= i;
                m[i, j] = !inside ? T.Zero
                    : i == j && diag == DiagonalKind.Unit ? T.One
                    : op == MatrixOp.None ? a[i, j] : a[j, i];
            }
        }

        if (side == Side.Left)
        {
            for (int c0 = 0; c0 < b.Cols; c0 += LeafColumnChunk)
            {
                MatrixSpan<T> bc = b.Slice(0, c0, n, Math.Min(LeafColumnChunk, b.Cols - c0));

                // Upper: row i reads rows below it, so go down; lower: go up.
                for (int s = 0; s < n; s++)
                {
                    int i = upper ? s : n - 1 - s;
                    Span<T> bi = bc.Row(i);
                    VectorOps.Scale(m[i, i], bi);
                    int j0 = upper ? i + 1 : 0, j1 = upper ? n : i;
                    for (int j = j0; j < j1; j++)
                    {
                        VectorOps.Axpy(m[i, j], bc.Row(j), bi);
                    }
                }
            }

            return;
        }

        Span<T> acc = tmp[..n];
        for (int r = 0; r < b.Rows; r++)
        {
            Span<T> row = b.Row(r);
            acc.Clear();
            for (int k = 0; k < n; k++)
            {
                VectorOps.Axpy(row[k], m.Row(k), acc);
            }

            acc.CopyTo(row);
        }
    }
}
