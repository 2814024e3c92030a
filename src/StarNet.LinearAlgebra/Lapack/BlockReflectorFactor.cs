using System.Numerics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Forms the upper triangular factor T of a block reflector H_0 ... H_{k-1} = I - V T V^T (LAPACK dlarft,
/// forward, columnwise) from V and tau, for callers that kept only tau (the LAPACK geqrf contract). It first
/// forms the Gram matrix S = V^T V with one SYRK (its upper triangle), then builds T recursively by halves:
/// <code>
///   T = [T11  T12]     T12 = -T11 S12 T22     (two TRMMs)
///       [ 0   T22]
/// </code>
/// which needs S only above the diagonal and is exact for tau = 0 (H_i = I) as well.
/// </summary>
internal static class BlockReflectorFactor
{
    private const int Leaf = 16;

    /// <summary>Sets the upper triangle of the k x k view <paramref name="t"/>; <paramref name="s"/> is k x k scratch.</summary>
    public static void Compute<T>(ReadOnlyMatrixSpan<T> v, ReadOnlySpan<T> tau, MatrixSpan<T> t, MatrixSpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = v.Cols;
        GramOfReflectors(v, s);
        FromGram(s.Slice(0, 0, k, k), tau[..k], t);
    }

    /// <summary>The upper triangle of S = V^T V for the unit lower trapezoidal V (m x k, m at least k).</summary>
    public static void GramOfReflectors<T>(ReadOnlyMatrixSpan<T> v, MatrixSpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = v.Rows, k = v.Cols;
        Blas.Syrk(Triangle.Upper, MatrixOp.Transpose, T.One, v.Slice(k, 0, m - k, k), T.Zero, s);

        // Add V1^T V1 for the unit lower triangle V1 = V(0:k, :), formed densely and multiplied by TRMM.
        MatrixSpan<T> v1 = Workspace<T>.Get(WorkspaceSlot.ReflectorGram, k, k);
        for (int i = 0; i < k; i++)
        {
            Span<T> row = v1.Row(i);
            v.Row(i)[..i].CopyTo(row);
            row[i] = T.One;
            row[(i + 1)..].Clear();
        }

        Blas.Trmm(Side.Left, Triangle.Lower, MatrixOp.Transpose, DiagonalKind.Unit, T.One, v.Slice(0, 0, k, k), v1);
        for (int i = 0; i < k; i++)
        {
            VectorOps.Axpy(T.One, v1.Row(i)[i..], s.Row(i)[i..]);
        }
    }

    /// <summary>T from the upper triangle of S = V^T V and tau.</summary>
    public static void FromGram<T>(ReadOnlyMatrixSpan<T> s, ReadOnlySpan<T> tau, MatrixSpan<T> t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = s.Rows;
        if (k <= Leaf)
        {
            for (int i = 0; i < k; i++)
            {
                for (int l = 0; l < i; l++)
                {
                    T sum = T.Zero;
                    for (int q = l; q < i; q++)
                    {
                        sum += t[l, q] * s[q, i];
                    }

                    t[l, i] = -tau[i] * sum;
                }

                t[i, i] = tau[i];
            }

            return;
        }

        int k1 = k / 2, k2 = k - k1;
        MatrixSpan<T> t11 = t.Slice(0, 0, k1, k1), t12 = t.Slice(0, k1, k1, k2), t22 = t.Slice(k1, k1, k2, k2);
        FromGram(s.Slice(0, 0, k1, k1), tau[..k1], t11);
        FromGram(s.Slice(k1, k1, k2, k2), tau[k1..], t22);
        s.Slice(0, k1, k1, k2).CopyTo(t12);
        Blas.Trmm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, -T.One, t11, t12);
        Blas.Trmm(Side.Right, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, t22, t12);
    }
}
