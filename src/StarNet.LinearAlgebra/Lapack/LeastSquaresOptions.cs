namespace StarNet.LinearAlgebra;

/// <summary>How <see cref="LeastSquaresSolver{T}"/> solves min ||A X - B||.</summary>
public enum LeastSquaresMethod
{
    /// <summary>
    /// Householder QR (LAPACK dgels): backward stable; forward error about eps (kappa + kappa^2 ||r|| / (||A|| ||x||)).
    /// The default.
    /// </summary>
    HouseholderQR = 0,

    /// <summary>
    /// Normal equations A^T A X = A^T B with Cholesky: the cheapest, but the error grows like kappa^2 eps, and it
    /// fails (rank-deficient error) once kappa^2 eps approaches 1. In float the Gram matrix, the Cholesky factor and
    /// the triangular solves run in double; A^T B is formed in float.
    /// </summary>
    NormalEquations = 1,

    /// <summary>
    /// Semi-normal equations R^T R X = A^T B with R from Householder QR, plus one step of iterative refinement with
    /// the residual (corrected semi-normal equations, Björck): accuracy close to QR when kappa is below about
    /// 1/sqrt(eps), at the price of three products with A per solve.
    /// </summary>
    SemiNormalEquations = 2,

    /// <summary>
    /// Randomized CholeskyQR: R1 from the Householder QR of a small sparse sign sketch S A (4 n rows, a fixed hash, so
    /// deterministic), Q1 = A R1^-1 (well conditioned whatever kappa(A) is), then one CholeskyQR step on Q1 (R2 from
    /// Q1^T Q1): A = Q R with Q = Q1 R2^-1, R = R2 R1. The solve is one GEMM the size of A^T B, the normal equations'
    /// cost, with QR's accuracy up to the small factor kappa(Q1)^2 (about 10). When the factorization cannot certify
    /// itself (R2 not well conditioned: A too ill-conditioned for the precision) the solver uses
    /// <see cref="HouseholderQR"/> instead, and <see cref="LeastSquaresSolver{T}.Method"/> says so.
    /// </summary>
    RandomizedCholeskyQR = 3,
}

/// <summary>Options of <see cref="LeastSquaresSolver{T}"/>.</summary>
public sealed record LeastSquaresOptions
{
    /// <summary>The method (default <see cref="LeastSquaresMethod.HouseholderQR"/>).</summary>
    public LeastSquaresMethod Method { get; init; } = LeastSquaresMethod.HouseholderQR;

    /// <summary>
    /// Ridge (Tikhonov) term lambda, at least 0: solves min ||A X - B||^2 + lambda ||X||^2. With lambda &gt; 0 any shape
    /// and rank is accepted (the QR methods factor [A; sqrt(lambda) I]). Default 0.
    /// </summary>
    public double Ridge { get; init; }

    /// <summary>
    /// Relative rank tolerance: A counts as rank deficient when some |r_ii| &lt;= tolerance * max_j |r_jj|.
    /// Null (the default) means n * eps of the element type.
    /// </summary>
    public double? RankTolerance { get; init; }

    /// <summary>
    /// Form the pseudo-inverse P (n x m) at construction so that single right-hand sides are one GEMV
    /// (<see cref="LeastSquaresSolver{T}.Solve(ReadOnlySpan{T}, Span{T})"/>). Default false.
    /// </summary>
    public bool PrecomputePseudoInverse { get; init; }
}
