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
/// Nearly all flops run in GEMM; triangles of order at most 128 are leaves multiplied as dense blocks.
/// </summary>
internal static class TriangularMultiplyDriver
{
    /// <summary>
    /// Triangles of at most this order are leaves, multiplied as dense blocks: with the packed GEMM's speed on
    /// small inner dimensions, a 128 leaf (1.5x the flops of a 256 triangle, in three large GEMMs) measured faster
    /// than 32 or 64 leaves (more GEMMs with inner dimensions of 16 to 32).
    /// </summary>
    private const int TriangleLeaf = 128;

    /// <summary>Columns (left side) or rows (right side) of B per leaf product, so the chunk stays in L2.</summary>
    private const int LeafChunk = 1024;

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
    /// The leaf: op(A) (order at most <see cref="TriangleLeaf"/>) is copied densely into a scratch matrix M
    /// (zeros outside the triangle, ones on a unit diagonal), and B is multiplied by M with the packed GEMM into
    /// scratch, a chunk of B at a time, then copied back. That spends up to twice the flops of the triangle on the
    /// leaf blocks, but at GEMM speed rather than at the speed of row operations.
    /// </summary>
    private static void Leaf<T>(Side side, bool upper, MatrixOp op, DiagonalKind diag, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        int total = side == Side.Left ? b.Cols : b.Rows;
        int chunk = Math.Min(LeafChunk, total);

        // One scratch block holds M (n x n) followed by the product of M with a chunk of B.
        Span<T> scratch = Workspace<T>.Get(WorkspaceSlot.TriangleLeaf, 1, (n * n) + (n * chunk)).Span;
        var m = new MatrixSpan<T>(scratch[..(n * n)], n, n, n);
        Span<T> productStore = scratch[(n * n)..];
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

        for (int c0 = 0; c0 < total; c0 += LeafChunk)
        {
            int cs = Math.Min(LeafChunk, total - c0);
            if (side == Side.Left)
            {
                MatrixSpan<T> bc = b.Slice(0, c0, n, cs);
                var product = new MatrixSpan<T>(productStore, n, cs, cs);
                Blas.Gemm(T.One, m, MatrixOp.None, bc, MatrixOp.None, T.Zero, product);
                product.CopyTo(bc);
            }
            else
            {
                MatrixSpan<T> bc = b.Slice(c0, 0, cs, n);
                var product = new MatrixSpan<T>(productStore, cs, n, n);
                Blas.Gemm(T.One, bc, MatrixOp.None, m, MatrixOp.None, T.Zero, product);
                product.CopyTo(bc);
            }
        }
    }
}
