using System.Numerics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Cholesky factorization by recursive halving (LAPACK dpotrf2; dpotrf's blocked loop with the block size
/// chosen by halving), lower A = L L^T or upper A = U^T U:
/// <code>
///   [A11    ]     L11 := chol(A11)                 (recursion)
///   [A21 A22]     A21 := A21 L11^-T                (TRSM)
///                 A22 := A22 - A21 A21^T           (SYRK, lower triangle only)
///                 L22 := chol(A22)                 (recursion)
/// </code>
/// Orders of at most <see cref="Leaf"/> use the unblocked row-oriented kernel (dpotf2): in row-major lower
/// storage each entry is a dot product of two contiguous row prefixes. Only the <c>uplo</c> triangle is read or
/// written.
/// </summary>
internal static class CholeskyRecursive
{
    private const int Leaf = 32;

    /// <summary>Factors in place; returns -1 on success or the index of the first pivot that was not positive.</summary>
    public static int Factor<T>(MatrixSpan<T> a, Triangle uplo, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        pivotValue = T.Zero;
        if (n <= Leaf)
        {
            return uplo == Triangle.Lower ? UnblockedLower(a, out pivotValue) : UnblockedUpper(a, out pivotValue);
        }

        int n1 = Math.Max(Leaf, n / 2 / Leaf * Leaf), n2 = n - n1;
        MatrixSpan<T> a11 = a.Slice(0, 0, n1, n1), a22 = a.Slice(n1, n1, n2, n2);
        int info = Factor(a11, uplo, out pivotValue);
        if (info >= 0)
        {
            return info;
        }

        if (uplo == Triangle.Lower)
        {
            MatrixSpan<T> a21 = a.Slice(n1, 0, n2, n1);
            Blas.Trsm(Side.Right, Triangle.Lower, MatrixOp.Transpose, DiagonalKind.NonUnit, T.One, a11, a21);
            Blas.Syrk(Triangle.Lower, MatrixOp.None, -T.One, a21, T.One, a22);
        }
        else
        {
            MatrixSpan<T> a12 = a.Slice(0, n1, n1, n2);
            Blas.Trsm(Side.Left, Triangle.Upper, MatrixOp.Transpose, DiagonalKind.NonUnit, T.One, a11, a12);
            Blas.Syrk(Triangle.Upper, MatrixOp.Transpose, -T.One, a12, T.One, a22);
        }

        info = Factor(a22, uplo, out pivotValue);
        return info >= 0 ? n1 + info : -1;
    }

    /// <summary>
    /// The leaf (dpotf2), four rows at a time: the entries of rows i0..i0+3 left of their diagonal block meet each
    /// finished factor row j once (four dot products sharing its loads, <see cref="VectorOps.Dot4{T}"/>); the 4 x 4
    /// diagonal block then finishes row by row with its pivots checked in order, so the first failing pivot and the
    /// factor of the rows above it are what the row-by-row kernel gives.
    /// </summary>
    private static int UnblockedLower<T>(MatrixSpan<T> a, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        for (int i0 = 0; i0 < n; i0 += 4)
        {
            int rows = Math.Min(4, n - i0);
            if (rows == 4)
            {
                Span<T> l0 = a.Row(i0), l1 = a.Row(i0 + 1), l2 = a.Row(i0 + 2), l3 = a.Row(i0 + 3);
                for (int j = 0; j < i0; j++)
                {
                    VectorOps.Dot4<T>(a.Row(j)[..j], l0, l1, l2, l3, out T d0, out T d1, out T d2, out T d3);
                    T ljj = a[j, j];
                    l0[j] = (l0[j] - d0) / ljj;
                    l1[j] = (l1[j] - d1) / ljj;
                    l2[j] = (l2[j] - d2) / ljj;
                    l3[j] = (l3[j] - d3) / ljj;
                }
            }
            else
            {
                for (int i = i0; i < i0 + rows; i++)
                {
                    Span<T> li = a.Row(i);
                    for (int j = 0; j < i0; j++)
                    {
                        li[j] = (li[j] - VectorOps.Dot<T>(li[..j], a.Row(j)[..j])) / a[j, j];
                    }
                }
            }

            for (int i = i0; i < i0 + rows; i++)
            {
                Span<T> li = a.Row(i);
                for (int j = i0; j < i; j++)
                {
                    li[j] = (li[j] - VectorOps.Dot<T>(li[..j], a.Row(j)[..j])) / a[j, j];
                }

                T d = li[i] - VectorOps.Dot<T>(li[..i], li[..i]);
                if (!(d > T.Zero) || !T.IsFinite(d))
                {
                    pivotValue = d;
                    return i;
                }

                li[i] = T.Sqrt(d);
            }
        }

        pivotValue = T.Zero;
        return -1;
    }

    private static int UnblockedUpper<T>(MatrixSpan<T> a, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        for (int i = 0; i < n; i++)
        {
            // Column i of U: U(j, i) = (A(j, i) - sum_k U(k, j) U(k, i)) / U(j, j), then the diagonal.
            for (int j = 0; j < i; j++)
            {
                T sum = a[j, i];
                for (int k = 0; k < j; k++)
                {
                    sum -= a[k, j] * a[k, i];
                }

                a[j, i] = sum / a[j, j];
            }

            T d = a[i, i];
            for (int k = 0; k < i; k++)
            {
                d -= a[k, i] * a[k, i];
            }

            if (!(d > T.Zero) || !T.IsFinite(d))
            {
                pivotValue = d;
                return i;
            }

            a[i, i] = T.Sqrt(d);
        }

        pivotValue = T.Zero;
        return -1;
    }
}
