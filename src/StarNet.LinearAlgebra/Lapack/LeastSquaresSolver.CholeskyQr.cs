using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra;

/// <summary>
/// The randomized CholeskyQR method (<see cref="LeastSquaresMethod.RandomizedCholeskyQR"/>): R1 from the Householder QR of a
/// sparse sign sketch S A (4 n rows), Q1 = A R1^-1, which is well conditioned whatever kappa(A) is, then one CholeskyQR
/// step on Q1, R2 from Q1^T Q1, so that A = Q R with Q = Q1 R2^-1 and R = R2 R1 (Balabanov 2022; Higgins, Szyld, Boman
/// and Yamazaki 2023). Q is never formed: Q^T B = R2^-T Q1^T B. See docs/lapack.md.
/// </summary>
public sealed partial class LeastSquaresSolver<T>
{
    /// <summary>
    /// The largest accepted estimate of kappa_2(R2) = kappa_2(Q1), R2 being the Cholesky factor of Q1^T Q1. The normal
    /// equations of Q1 lose about kappa(Q1)^2 eps, so below this bound the solve stays within a factor 64 of the
    /// Householder QR's error terms (typically 9: the sketch of 4 n rows gives kappa(Q1) near 3); above it the sketch
    /// did not precondition A well enough for this precision (A too ill-conditioned, or an unlucky sketch), and the
    /// solver falls back to Householder QR.
    /// </summary>
    private const double CholeskyQrMaxSecondCondition = 8;

    /// <summary>Rows of the sketch per column of A: 4 n rows keep kappa(Q1) near 3 (the embedding's distortion).</summary>
    private const int SketchRowsPerColumn = 4;

    /// <summary>
    /// The fewest rows of a sketch: with few columns, 4 n rows would give each row of S A a large share of the 8 random
    /// rows of A it sums, and the embedding's distortion grows (kappa(Q1) up to 8-13 was seen on small shapes).
    /// </summary>
    private const int MinSketchRows = 128;

    [ThreadStatic]
    private static double? t_secondConditionLimit;

    private readonly CholeskyQrFactors? _choleskyQr;

    /// <summary>Replaces the limit on kappa_2(R2) on this thread (null: the default); for tests of the fallback.</summary>
    internal static double? SecondConditionLimitOverride
    {
        get => t_secondConditionLimit;
        set => t_secondConditionLimit = value;
    }

    /// <summary>Q1 (rows m + n with a ridge term: the augmented problem's), R1, R2 and R = R2 R1 of the randomized CholeskyQR.</summary>
    private sealed class CholeskyQrFactors(Matrix<T> q1, Matrix<T> r1, Matrix<T> r2, Matrix<T> r)
    {
        /// <summary>Q1 = [A; sqrt(lambda) I] R1^-1.</summary>
        public Matrix<T> Q1 { get; } = q1;

        /// <summary>R1, the R factor of the sketch S [A; sqrt(lambda) I].</summary>
        public Matrix<T> R1 { get; } = r1;

        /// <summary>R2, the Cholesky factor of Q1^T Q1.</summary>
        public Matrix<T> R2 { get; } = r2;

        /// <summary>R = R2 R1, the triangular factor of A = Q R with Q = Q1 R2^-1.</summary>
        public Matrix<T> R { get; } = r;
    }

    /// <summary>
    /// Randomized CholeskyQR of [A; sqrt(lambda) I], or null when it cannot certify its result (the sketch's R1 is
    /// numerically singular, or Q1 = A R1^-1 is too far from orthonormal, i.e. A is too ill-conditioned for this
    /// precision): the caller then uses Householder QR, which also reports a rank deficiency. A is finite (checked by
    /// the caller).
    /// </summary>
    private static CholeskyQrFactors? TryFactorCholeskyQr(ReadOnlyMatrixSpan<T> a, double lambda, bool once)
    {
        int m = a.Rows, n = a.Cols;
        bool ridge = lambda > 0;
        int mAug = ridge ? m + n : m;
        T d = ridge ? T.Sqrt(T.CreateTruncating(lambda)) : T.Zero;

        // Q1 storage holds [A; d I] (the TRSM below turns it into Q1 in place).
        Matrix<T> q1 = once ? OnceStorage(mAug, n) : new Matrix<T>(mAug, n);
        a.CopyTo(q1.Slice(0, 0, m, n));
        if (ridge)
        {
            q1.Slice(m, 0, n, n).Clear();
            for (int i = 0; i < n; i++)
            {
                q1[m + i, i] = d;
            }
        }

        // Step 1: R1 from the Householder QR of a sketch S [A; d I] with max(4 n, 128) rows (or of
        // [A; d I] itself when that is less than twice as tall: the sketch would save little, and a sketch of nearly
        // as many rows as A embeds it less well), so that Q1 = [A; d I] R1^-1 is well conditioned.
        int s = Math.Max(SketchRowsPerColumn * n, MinSketchRows);
        Matrix<T> sketch;
        if (mAug <= 2 * s)
        {
            sketch = Matrix<T>.CopyOf(q1.AsReadOnlySpan());
        }
        else
        {
            sketch = new Matrix<T>(s, n);
            SparseSignSketch.Apply(a, d, sketch.AsSpan());
        }

        Lapack.QrFactor(sketch.AsSpan(), new T[n]);
        var r1 = new Matrix<T>(n, n);
        T maxDiagonal = T.Zero, minDiagonal = T.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            sketch.AsReadOnlySpan().Row(i)[i..].CopyTo(r1.AsSpan().Row(i)[i..]);
            maxDiagonal = T.Max(maxDiagonal, T.Abs(r1[i, i]));
            minDiagonal = T.Min(minDiagonal, T.Abs(r1[i, i]));
        }

        if (!(minDiagonal > T.CreateTruncating(n) * Precision.UnitRoundoff<T>() * maxDiagonal))
        {
            return null;
        }

        Blas.Trsm(Side.Right, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, r1.AsReadOnlySpan(), q1.AsSpan());

        // Step 2 (one CholeskyQR step on Q1): R2 from Q1^T Q1.
        // The lower triangle: with GEMM's tiles (MR rows x NR columns) a last lone column, as in n = 257 (256 columns
        // plus the bias), meets one tile row instead of a whole tile column.
        var g2 = new Matrix<T>(n, n);
        Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, T.One, q1.AsReadOnlySpan(), T.Zero, g2.AsSpan());
        if (!Lapack.TryCholeskyFactor(g2.AsSpan(), Triangle.Lower, out _, out _))
        {
            return null;
        }

        // R2 = L^T; a NaN or infinity of A reached a row of Q1, so a diagonal entry of G2 and of R2, and the estimate
        // below is infinite.
        var r2 = new Matrix<T>(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                r2[i, j] = g2[j, i];
            }
        }

        if (!(SpectralConditionEstimator.Estimate(r2.AsReadOnlySpan()) <= (t_secondConditionLimit ?? CholeskyQrMaxSecondCondition)))
        {
            return null;
        }

        var r = new Matrix<T>(n, n);
        r1.AsReadOnlySpan().CopyTo(r.AsSpan());
        Blas.Trmm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, r2.AsReadOnlySpan(), r.AsSpan());
        return new CholeskyQrFactors(q1, r1, r2, r);
    }

    /// <summary>
    /// X = R^-1 R2^-T Q1(0:m)^T B: one GEMM over the long dimension (the flops of the normal equations' A^T B) and two
    /// triangular solves of order n. R2^-T Q1^T B = Q^T B are the first n entries of the rotated right-hand sides, so
    /// the residual norms follow from ||b||^2 - ||Q^T b||^2 - lambda ||x||^2 as with Householder QR.
    /// </summary>
    private void SolveCholeskyQr(CholeskyQrFactors f, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, Span<T> residualNorms, bool rows)
    {
        Mul(rows, T.One, f.Q1.Slice(0, 0, _m, _n), MatrixOp.Transpose, b, T.Zero, x);
        Tri(rows, Triangle.Upper, MatrixOp.Transpose, DiagonalKind.NonUnit, f.R2.AsReadOnlySpan(), x, solve: true);
        SolveTriangleWithNorms(b, x, residualNorms, rows, f.R.AsReadOnlySpan());
    }

    /// <summary>
    /// z (m x count) := A x for the gathered solutions in the first n rows of <paramref name="head"/>, as Q1 (R1 x):
    /// the reconstruction the explicit residuals of the randomized CholeskyQR solve use (A itself is not kept).
    /// </summary>
    private static void CholeskyQrTimes(CholeskyQrFactors f, int m, MatrixSpan<T> head, MatrixSpan<T> z)
    {
        Blas.Trmm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, f.R1.AsReadOnlySpan(), head);
        Blas.Gemm(T.One, f.Q1.Slice(0, 0, m, head.Rows), MatrixOp.None, head, MatrixOp.None, T.Zero, z);
    }

    /// <summary>The pseudo-inverse of the randomized CholeskyQR factorization: P = R^-1 R2^-T Q1(0:m)^T.</summary>
    private Matrix<T> BuildCholeskyQrPseudoInverse(CholeskyQrFactors f)
    {
        var p = new Matrix<T>(_n, _m);
        ReadOnlyMatrixSpan<T> q1 = f.Q1.AsReadOnlySpan();
        for (int i = 0; i < _m; i++)
        {
            for (int j = 0; j < _n; j++)
            {
                p[j, i] = q1[i, j];
            }
        }

        Blas.Trsm(Side.Left, Triangle.Upper, MatrixOp.Transpose, DiagonalKind.NonUnit, T.One, f.R2.AsReadOnlySpan(), p.AsSpan());
        Blas.Trsm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, f.R.AsReadOnlySpan(), p.AsSpan());
        return p;
    }
}
