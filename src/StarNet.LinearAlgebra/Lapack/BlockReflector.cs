using System.Numerics;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Applies a block reflector H = I - V T V^T (compact WY, forward, columnwise) or its transpose to a matrix from
/// the left or the right (LAPACK dlarfb). V is m x k unit lower trapezoidal and stored the way QR leaves it:
/// its strict lower part holds the reflectors and whatever lies on and above the diagonal (R) is not read.
/// With V = [V1; V2], V1 the k x k unit lower triangle:
/// <code>
///   left,  H^T C:  W := V1^T C1 + V2^T C2;  W := T^T W;  C2 -= V2 W;  C1 -= V1 W       (W is k x n)
///   right, C H:    W := C1 V1 + C2 V2;      W := W T;    C2 -= W V2^T; C1 -= W V1^T   (W is n x k)
/// </code>
/// The two GEMMs carry the long dimension; the four triangular products are small. W is caller-supplied. From the
/// left, very tall and narrow blocks stream the two long products instead of packing them for the GEMM.
/// </summary>
internal static class BlockReflector
{
    /// <summary>
    /// C := H C or H^T C (when <paramref name="transpose"/>); W is a k x C.Cols workspace. Very tall, narrow blocks
    /// (<see cref="Streams{T}"/>) stream their two long products, the rest go through the packed GEMM.
    /// </summary>
    public static void ApplyLeft<T>(ReadOnlyMatrixSpan<T> v, ReadOnlyMatrixSpan<T> t, bool transpose, MatrixSpan<T> c, MatrixSpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyLeft(v, t, transpose, c, w, streamed: Streams<T>(v.Rows, v.Cols, c.Cols));

    /// <summary>
    /// Whether a left application of k reflectors of m rows to n columns streams its two long products down the rows
    /// (<see cref="TallNarrowProducts"/>) instead of calling the packed GEMM: at most
    /// <see cref="QrBlocking.StreamedTrailingReflectors"/> reflectors, and C thinner than one 256-bit vector on a
    /// vector instruction set (the products' thin form, along the reflectors: 4-8x the GEMM's speed for one column at
    /// 3072-60000 rows), or, where the streamed tiles run on the widest vectors, at least
    /// <see cref="QrBlocking.StreamedTrailingRows"/> rows and at most <see cref="QrBlocking.StreamedTrailingCols"/>
    /// columns, or at least <see cref="QrBlocking.StreamedTrailingRowsWide"/> rows and at most
    /// <see cref="QrBlocking.StreamedTrailingColsWide"/> columns, or in float, for blocks of at most
    /// <see cref="QrBlocking.NarrowBlockReflectors"/> reflectors, at least
    /// <see cref="QrBlocking.StreamedTrailingRowsNarrowBlock"/> rows and the same columns. There the GEMM's packing of the tall V and its tile
    /// prologues for a short inner dimension cost more than they save (one thread: 1.1-1.9x at 1024-12000 rows and up
    /// to 129 columns, 1.0-2.2x at 12000-60000 rows and up to 257 columns; slower on wider or shorter blocks;
    /// docs/lapack.md, "Tall-skinny, session 5").
    /// </summary>
    public static bool Streams<T>(int m, int k, int n)
        where T : unmanaged
    {
        if (k > QrBlocking.StreamedTrailingReflectors)
        {
            return false;
        }

        bool thin = n < Vector256<T>.Count && LinearAlgebraSettings.ActiveInstructionSet != InstructionSet.Scalar;
        if (thin)
        {
            return true;
        }

        // The streamed tiles take narrower vectors than the instruction set has when those leave fewer columns
        // outside them (RowVectorLanes: 136 double columns are 34 256-bit vectors but 17 512-bit ones); at half the
        // width they lose to the GEMM (4096 x 200 double: 15% slower).
        bool widest = RowVectorLanes.For<T>(n, group: 2) == RowVectorLanes.Widest();
        return widest
            && ((m >= QrBlocking.StreamedTrailingRows && n <= QrBlocking.StreamedTrailingCols)
                || (m >= QrBlocking.StreamedTrailingRowsWide && n <= QrBlocking.StreamedTrailingColsWide)
                || (typeof(T) == typeof(float) && k <= QrBlocking.NarrowBlockReflectors && m >= QrBlocking.StreamedTrailingRowsNarrowBlock
                    && n <= QrBlocking.StreamedTrailingColsWide));
    }

    /// <summary>
    /// C := H C or H^T C with the two long products through the packed GEMM, or streamed down the rows without packing
    /// (<paramref name="streamed"/>: <see cref="TallNarrowProducts"/>, the narrow W stays in L1); the small
    /// triangular products go through TRMM. W is k x C.Cols.
    /// </summary>
    public static void ApplyLeft<T>(ReadOnlyMatrixSpan<T> v, ReadOnlyMatrixSpan<T> t, bool transpose, MatrixSpan<T> c, MatrixSpan<T> w, bool streamed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = v.Rows, k = v.Cols, n = c.Cols;
        if (k == 0 || n == 0)
        {
            return;
        }

        ReadOnlyMatrixSpan<T> v1 = v.Slice(0, 0, k, k), v2 = v.Slice(k, 0, m - k, k);
        MatrixSpan<T> c1 = c.Slice(0, 0, k, n), c2 = c.Slice(k, 0, m - k, n);
        c1.CopyTo(w);
        Blas.Trmm(Side.Left, Triangle.Lower, MatrixOp.Transpose, DiagonalKind.Unit, T.One, v1, w);
        if (streamed)
        {
            TallNarrowProducts.AddTransposeProduct<T>(v2, c2, w);
        }
        else
        {
            Blas.Gemm(T.One, v2, MatrixOp.Transpose, c2, MatrixOp.None, T.One, w);
        }

        Blas.Trmm(Side.Left, Triangle.Upper, transpose ? MatrixOp.Transpose : MatrixOp.None, DiagonalKind.NonUnit, T.One, t, w);
        if (streamed)
        {
            TallNarrowProducts.SubtractProduct<T>(v2, w, c2);
        }
        else
        {
            Blas.Gemm(-T.One, v2, MatrixOp.None, w, MatrixOp.None, T.One, c2);
        }

        Blas.Trmm(Side.Left, Triangle.Lower, MatrixOp.None, DiagonalKind.Unit, T.One, v1, w);
        SubtractInto(w, c1);
    }

    /// <summary>C := C H or C H^T (when <paramref name="transpose"/>); W is a C.Rows x k workspace.</summary>
    public static void ApplyRight<T>(ReadOnlyMatrixSpan<T> v, ReadOnlyMatrixSpan<T> t, bool transpose, MatrixSpan<T> c, MatrixSpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = v.Rows, k = v.Cols, n = c.Rows;
        if (k == 0 || n == 0)
        {
            return;
        }

        ReadOnlyMatrixSpan<T> v1 = v.Slice(0, 0, k, k), v2 = v.Slice(k, 0, m - k, k);
        MatrixSpan<T> c1 = c.Slice(0, 0, n, k), c2 = c.Slice(0, k, n, m - k);
        c1.CopyTo(w);
        Blas.Trmm(Side.Right, Triangle.Lower, MatrixOp.None, DiagonalKind.Unit, T.One, v1, w);
        Blas.Gemm(T.One, c2, MatrixOp.None, v2, MatrixOp.None, T.One, w);
        Blas.Trmm(Side.Right, Triangle.Upper, transpose ? MatrixOp.Transpose : MatrixOp.None, DiagonalKind.NonUnit, T.One, t, w);
        Blas.Gemm(-T.One, w, MatrixOp.None, v2, MatrixOp.Transpose, T.One, c2);
        Blas.Trmm(Side.Right, Triangle.Lower, MatrixOp.Transpose, DiagonalKind.Unit, T.One, v1, w);
        SubtractInto(w, c1);
    }

    /// <summary>C := C - W, row by row.</summary>
    public static void SubtractInto<T>(ReadOnlyMatrixSpan<T> w, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < c.Rows; i++)
        {
            VectorOps.Subtract(w.Row(i), c.Row(i));
        }
    }
}
