namespace StarNet.LinearAlgebra;

/// <summary>The one-shot solve: factor, solve many right-hand sides, keep nothing.</summary>
public sealed partial class LeastSquaresSolver<T>
{
    /// <summary>
    /// Factors A and solves for the columns of B once: X (n x k) minimizes ||A X - B|| column by column, exactly as
    /// <c>new LeastSquaresSolver&lt;T&gt;(a, options).Solve(b, x)</c> does (same checks, errors and results), but with the
    /// normal equations A is not copied: a solver object keeps its own copy of A so that it can solve again later,
    /// which a single solve does not need (for the 60000 x 257 float matrix of a StarNet weight solve, a 62 MB copy).
    /// </summary>
    /// <param name="a">The m x n matrix A (read, not kept).</param>
    /// <param name="b">The m x k right-hand sides.</param>
    /// <param name="x">Receives the n x k solutions; must not overlap B.</param>
    /// <param name="options">Method, ridge term, rank tolerance; null for the defaults.</param>
    /// <returns>The factorization's <see cref="ConditionNumberEstimate"/>.</returns>
    /// <exception cref="ArgumentException">A shape or option is invalid, or X overlaps B.</exception>
    /// <exception cref="NonFiniteValueException">A or B holds NaN or an infinity.</exception>
    /// <exception cref="RankDeficientException">A is numerically rank deficient and no ridge term was given.</exception>
    public static double SolveOnce(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, LeastSquaresOptions? options = null)
    {
        options ??= new LeastSquaresOptions();
        bool borrow = options.Method == LeastSquaresMethod.NormalEquations && !options.PrecomputePseudoInverse;
        var solver = new LeastSquaresSolver<T>(a, options, keepA: !borrow);
        solver.SolveMany(b, x, default, rows: false, a);
        return solver.ConditionNumberEstimate;
    }
}
