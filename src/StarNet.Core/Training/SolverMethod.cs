namespace StarNet.Training;

/// <summary>
/// How a layer's weight solve (the tall least-squares problem over all datapoints) is done. The latent solves
/// always factor the small weight matrix by Householder QR.
/// </summary>
public enum SolverMethod
{
    /// <summary>
    /// Householder QR of the system matrix: backward stable, error proportional to its condition number, but its
    /// panel factorization of a tall-skinny matrix is memory-bound (about a tenth of GEMM speed here).
    /// </summary>
    Qr = 0,

    /// <summary>
    /// Cholesky of the normal equations <c>A^T A x = A^T b</c>: one SYRK and one GEMM over the datapoints (GEMM-shaped,
    /// about half the flops of QR); the Gram matrix and its Cholesky factor are kept in double even for float data, so
    /// the error grows like kappa^2 eps(double) from the Gram plus kappa^2 eps(T) tan(theta) from A^T b, comparable to
    /// QR's kappa eps + kappa^2 eps tan(theta) when the fit leaves a sizable residual. The default.
    /// </summary>
    NormalEquations = 1,

    /// <summary>The R factor of a QR of A, then <c>R^T R x = A^T b</c> (the semi-normal equations, with no Q kept), refined by one step of iterative refinement.</summary>
    SemiNormal = 2,

    /// <summary>
    /// Randomized CholeskyQR (<see cref="StarNet.LinearAlgebra.LeastSquaresMethod.RandomizedCholeskyQR"/>): R1 from the
    /// QR of a small sketch of A, one CholeskyQR step on A R1^-1, then the solve as one GEMM the size of A^T B. QR's
    /// accuracy (within a factor of about 10) at about the normal equations' cost, for any condition number up to
    /// 1/eps; falls back to Householder QR when it cannot certify its factorization.
    /// </summary>
    RandomizedCholeskyQr = 3,
}
