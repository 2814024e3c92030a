using System.Numerics;
using StarNet.LinearAlgebra;
using StarNet.Training;

namespace StarNet.Solvers;

/// <summary>
/// The one place where StarNet.Core touches the engine's least-squares and factorization API
/// (<see cref="LeastSquaresSolver{T}"/> and <see cref="Lapack"/>): every solve the trainer, the encoder and the
/// latent prior need goes through here (and through <see cref="LatentSystem{T}"/>, which factors with
/// <see cref="Factor{T}"/>), so that the backend can change without touching them.
/// </summary>
internal static class LayerSolver
{
    /// <summary>
    /// The (ridge-regularised) pseudo-inverse of a tall matrix by Householder QR: <c>P = R^-1 Q^T</c> (ridge: of
    /// <c>[A; sqrt(ridge) I]</c>), so that <c>P t</c> minimises <c>||A h - t||^2 + ridge ||h||^2</c>, with an error
    /// proportional to cond(A). The matrices factored here are weight matrices (d_i x d_(i-1)), small next to the
    /// weight solve's N x (d_(i-1) + 1).
    /// </summary>
    /// <param name="a">A, m x n with m &gt;= n and full column rank (any shape with a ridge).</param>
    /// <param name="p">Receives P, n x m.</param>
    /// <param name="ridge">Non-negative ridge.</param>
    /// <returns>The engine's 1-norm condition estimate of R.</returns>
    /// <exception cref="InvalidOperationException">A is numerically rank deficient (the message says how).</exception>
    public static double PseudoInverse<T>(ReadOnlyMatrixSpan<T> a, MatrixSpan<T> p, double ridge)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LeastSquaresSolver<T> solver = Factor(a, SolverMethod.Qr, ridge, "the layer's weight W_i (latent solve)");
        solver.PrecomputePseudoInverse();
        solver.PseudoInverse.CopyTo(p);
        return solver.ConditionNumberEstimate;
    }

    /// <summary>
    /// Whether a pseudo-inverse of condition <paramref name="condition"/> solves as accurately as the factorization
    /// to within sqrt(u): its error, u kappa ||P|| ||t||, exceeds the QR solve's by about kappa, so it is taken for
    /// kappa up to 1 / sqrt(u) (4096 in float, 9.5e7 in double); above that, latent solves go through
    /// <see cref="LatentSystem{T}"/>.
    /// </summary>
    public static bool PseudoInverseIsAccurate<T>(double condition)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double u = double.CreateTruncating(T.One - T.BitDecrement(T.One));
        return condition <= 1 / Math.Sqrt(u);
    }

    /// <summary>
    /// Least squares with many right-hand sides: <c>X = argmin ||A X - B||_F^2 + ridge ||X||_F^2</c>, each column of
    /// B an independent problem, A factored once.
    /// </summary>
    /// <param name="a">A, m x n with m &gt;= n.</param>
    /// <param name="b">B, m x k.</param>
    /// <param name="x">Receives X, n x k.</param>
    /// <param name="method">The factorization to use.</param>
    /// <param name="ridge">Non-negative ridge.</param>
    /// <returns>The engine's 1-norm condition estimate of the triangular factor (R, or L^T of the Gram matrix).</returns>
    /// <exception cref="InvalidOperationException">A is numerically rank deficient (the message says how).</exception>
    public static double LeastSquares<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, SolverMethod method, double ridge)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // One solve: the engine's one-shot path does not copy A (N x (d + 1)) as a kept solver would.
        try
        {
            return LeastSquaresSolver<T>.SolveOnce(a, b, x, Options(method, ridge));
        }
        catch (RankDeficientException e)
        {
            throw RankError(e, "the layer's inputs [H, 1] (weight solve)");
        }
    }

    /// <summary>
    /// Essential flops of <see cref="LeastSquares"/> for an m x n system with k right-hand sides, as the engine's
    /// algorithms do the work: QR factor 2mn^2 - 2n^3/3, then (compact-WY, only the first n rows of Q^T B are needed)
    /// 2mnk plus small triangular products; the normal equations mn^2 (SYRK) + 2mnk (A^T B) + n^3/3 + 2n^2k; the
    /// corrected semi-normal equations the QR factor plus three products with A (6mnk).
    /// </summary>
    public static double LeastSquaresFlops(SolverMethod method, double m, double n, double k) => method switch
    {
        SolverMethod.NormalEquations => (m * n * n) + (2 * m * n * k) + (n * n * n / 3) + (2 * n * n * k),
        SolverMethod.SemiNormal => (2 * m * n * n) - (2 * n * n * n / 3) + (6 * m * n * k) + (4 * n * n * k),
        SolverMethod.RandomizedCholeskyQr => (2 * m * n * n) + (8 * n * n * n) + (2 * m * n * k) + (3 * n * n * k),
        _ => (2 * m * n * n) - (2 * n * n * n / 3) + (2 * m * n * k) + (3 * n * n * k),
    };

    /// <summary>Essential flops of <see cref="PseudoInverse"/> for an m x n matrix: the QR factorization, then forming Q and R^-1 Q^T.</summary>
    public static double PseudoInverseFlops(double m, double n) => (2 * m * n * n) - (2 * n * n * n / 3) + (2 * m * n * n) + (m * n * n);

    /// <summary>Replaces the columns of a tall full-rank A by an orthonormal basis of their span (the thin Q of A = QR).</summary>
    /// <param name="a">A, m x n with m &gt;= n; overwritten with Q.</param>
    public static void OrthonormalizeColumns<T>(MatrixSpan<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var factors = Matrix<T>.CopyOf(a);
        var tau = new T[a.Cols];
        Lapack.QrFactor(factors.AsSpan(), tau);
        Lapack.QrFormQ(factors.AsReadOnlySpan(), tau, a);
    }

    /// <summary>
    /// Cholesky factorization in place: on success the lower triangle holds L with L L^T equal to the input (whose
    /// lower triangle is read) and the strict upper triangle is zeroed.
    /// </summary>
    /// <param name="a">A symmetric positive definite matrix.</param>
    /// <returns>True on success; false when a pivot is not positive (the matrix is then partly overwritten).</returns>
    public static bool TryCholesky<T>(MatrixSpan<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Lapack.TryCholeskyFactor(a, Triangle.Lower, out _, out _))
        {
            return false;
        }

        for (int i = 0; i < a.Rows; i++)
        {
            a.Row(i)[(i + 1)..].Clear();
        }

        return true;
    }

    /// <summary>Factors A for least squares, restating a rank-deficiency error to name <paramref name="what"/>.</summary>
    internal static LeastSquaresSolver<T> Factor<T>(ReadOnlyMatrixSpan<T> a, SolverMethod method, double ridge, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return new LeastSquaresSolver<T>(a, Options(method, ridge));
        }
        catch (RankDeficientException e)
        {
            throw RankError(e, what);
        }
    }

    private static LeastSquaresOptions Options(SolverMethod method, double ridge) => new()
    {
        Method = method switch
        {
            SolverMethod.NormalEquations => LeastSquaresMethod.NormalEquations,
            SolverMethod.SemiNormal => LeastSquaresMethod.SemiNormalEquations,
            SolverMethod.RandomizedCholeskyQr => LeastSquaresMethod.RandomizedCholeskyQR,
            _ => LeastSquaresMethod.HouseholderQR,
        },
        Ridge = ridge,
    };

    /// <summary>The engine's rank-deficiency error, restated to name the layer's system.</summary>
    private static InvalidOperationException RankError(RankDeficientException e, string what) => new(
        $"The least-squares system built from {what} is numerically rank deficient: {e.Message} " +
        "A ridge > 0 (TrainingOptions.Ridge / LatentRidge), more datapoints or another seed may help.",
        e);
}
