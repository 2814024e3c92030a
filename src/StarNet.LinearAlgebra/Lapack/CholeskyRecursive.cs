using System.Numerics;
using StarNet.LinearAlgebra.Kernels;
using StarNet.LinearAlgebra.Threading;

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
/// Orders of at most <see cref="Leaf"/> go to <see cref="CholeskyLeafKernel"/> (dpotf2, register-blocked on a
/// padded upper copy, both triangles alike). Only the <c>uplo</c> triangle is written (the leaf's copy reads the
/// other triangle inside its 8 x 8 diagonal tiles, into lanes it never uses).
/// </summary>
internal static class CholeskyRecursive
{
    /// <summary>
    /// Largest order factored by the leaf kernel on one thread. The leaf's left-looking loops do the TRSM and SYRK work
    /// of the levels they replace faster than those calls up to 512 (float and double; its copy is then 1 / 2 MiB of
    /// the calling thread's scratch); orders above it split at multiples of <see cref="Granule"/>.
    /// </summary>
    private const int Leaf = 512;

    /// <summary>The leaf order when the engine runs on more than one thread: the leaf is serial, while TRSM and SYRK at order 256 and above split over the threads.</summary>
    private const int ParallelLeaf = 256;

    /// <summary>The split points are multiples of this (or of the leaf order when it is smaller).</summary>
    private const int Granule = 64;

    /// <summary>The leaf order under tiny GEMM block sizes (the tests' configuration), so that small orders also take the recursive path.</summary>
    private const int TinyLeaf = 16;

    /// <summary>Factors in place; returns -1 on success or the index of the first pivot that was not positive.</summary>
    public static int Factor<T>(MatrixSpan<T> a, Triangle uplo, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int leaf = LinearAlgebraSettings.GemmBlockSizesOverride is not null ? TinyLeaf
            : Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads) > 1 ? ParallelLeaf
            : Leaf;
        return Factor(a, uplo, leaf, out pivotValue);
    }

    private static int Factor<T>(MatrixSpan<T> a, Triangle uplo, int leaf, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        pivotValue = T.Zero;
        if (n <= leaf)
        {
            return CholeskyLeafKernel.Factor(a, uplo, out pivotValue);
        }

        int g = Math.Min(leaf, Granule);
        int n1 = Math.Max(g, n / 2 / g * g), n2 = n - n1;
        MatrixSpan<T> a11 = a.Slice(0, 0, n1, n1), a22 = a.Slice(n1, n1, n2, n2);
        int info = Factor(a11, uplo, leaf, out pivotValue);
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

        info = Factor(a22, uplo, leaf, out pivotValue);
        return info >= 0 ? n1 + info : -1;
    }
}
