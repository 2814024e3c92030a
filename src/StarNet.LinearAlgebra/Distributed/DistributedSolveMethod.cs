namespace StarNet.LinearAlgebra.Distributed;

/// <summary>How <see cref="DistributedLeastSquares"/> combines the ranks' rows.</summary>
public enum DistributedSolveMethod
{
    /// <summary>
    /// Distributed normal equations: every rank forms its share of the Gram matrix A^T A and of A^T B in double,
    /// one all-reduce sums them, and every rank solves the small system by Cholesky. One collective; the error
    /// grows like cond(A)^2 eps, as for the single-process normal equations.
    /// </summary>
    NormalEquations = 0,

    /// <summary>
    /// TSQR: every rank factors its rows A_p = Q_p R_p and forms Q_p^T B_p locally; the small blocks [R_p, Q_p^T B_p]
    /// are gathered on rank 0 in rank order, whose QR gives R and Q^T B of the whole problem; rank 0 solves and
    /// broadcasts X. Backward stable like Householder QR on one machine; the data never moves.
    /// </summary>
    Tsqr = 1,
}
