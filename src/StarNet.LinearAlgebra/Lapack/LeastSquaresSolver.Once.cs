namespace StarNet.LinearAlgebra;

/// <summary>The one-shot solve: factor, solve many right-hand sides, keep nothing.</summary>
public sealed partial class LeastSquaresSolver<T>
{
    /// <summary>
    /// Factors A and solves for the columns of B once: X (n x k) minimizes ||A X - B|| column by column, exactly as
    /// <c>new LeastSquaresSolver&lt;T&gt;(a, options).Solve(b, x)</c> does (same checks, errors and results), without
    /// keeping anything the next solve would have to allocate afresh: A is not copied (a solver object keeps its own
    /// copy for the normal equations so that it can solve again later; for the 60000 x 257 float matrix of a StarNet
    /// weight solve that is 62 MB), and the QR factors go into storage the calling thread reuses from one one-shot
    /// solve to the next while the GC has not reclaimed it (a weak reference). A pseudo-inverse requested in
    /// <paramref name="options"/> is not formed (nothing would use it).
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
        var solver = new LeastSquaresSolver<T>(a, options, once: true);
        solver.SolveMany(b, x, default, rows: false, a);
        return solver.ConditionNumberEstimate;
    }

    /// <summary>
    /// <see cref="SolveOnce"/> for right-hand sides stored as the rows of B (one datapoint per row, the layout of
    /// <see cref="SolveRows"/>): the row x_i (n) of X minimizes ||A x_i - b_i|| for the row b_i (m) of B, with the same
    /// checks, errors and results as <c>new LeastSquaresSolver&lt;T&gt;(a, options).SolveRows(b, x)</c>.
    /// </summary>
    /// <param name="a">The m x n matrix A (read, not kept).</param>
    /// <param name="b">The k x m right-hand sides, one per row.</param>
    /// <param name="x">Receives the k x n solutions, one per row; must not overlap B.</param>
    /// <param name="options">Method, ridge term, rank tolerance; null for the defaults.</param>
    /// <returns>The factorization's <see cref="ConditionNumberEstimate"/>.</returns>
    /// <exception cref="ArgumentException">A shape or option is invalid, or X overlaps B.</exception>
    /// <exception cref="NonFiniteValueException">A or B holds NaN or an infinity.</exception>
    /// <exception cref="RankDeficientException">A is numerically rank deficient and no ridge term was given.</exception>
    public static double SolveRowsOnce(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, LeastSquaresOptions? options = null)
    {
        var solver = new LeastSquaresSolver<T>(a, options, once: true);
        solver.SolveMany(b, x, default, rows: true, a);
        return solver.ConditionNumberEstimate;
    }
}
