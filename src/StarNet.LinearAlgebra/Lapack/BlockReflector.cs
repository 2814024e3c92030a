using System.Numerics;

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
/// The two GEMMs carry the long dimension; the four triangular products are small. W is caller-supplied.
/// </summary>
internal static class BlockReflector
{
    /// <summary>C := H C or H^T C (when <paramref name="transpose"/>); W is a k x C.Cols workspace.</summary>
    public static void ApplyLeft<T>(ReadOnlyMatrixSpan<T> v, ReadOnlyMatrixSpan<T> t, bool transpose, MatrixSpan<T> c, MatrixSpan<T> w)
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
        Blas.Gemm(T.One, v2, MatrixOp.Transpose, c2, MatrixOp.None, T.One, w);
        Blas.Trmm(Side.Left, Triangle.Upper, transpose ? MatrixOp.Transpose : MatrixOp.None, DiagonalKind.NonUnit, T.One, t, w);
        Blas.Gemm(-T.One, v2, MatrixOp.None, w, MatrixOp.None, T.One, c2);
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
