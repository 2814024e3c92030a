namespace StarNet.Training;

/// <summary>How a layer's least-squares problems are solved.</summary>
public enum SolverMethod
{
    /// <summary>Householder QR of the system matrix: backward stable, error proportional to its condition number. The default.</summary>
    Qr = 0,

    /// <summary>Cholesky of the normal equations <c>A^T A x = A^T b</c>: about half the flops of QR on tall systems, but the error grows with the square of the condition number.</summary>
    NormalEquations = 1,

    /// <summary>The R factor of a QR of A, then <c>R^T R x = A^T b</c> (the semi-normal equations, with no Q kept), refined by one step of iterative refinement.</summary>
    SemiNormal = 2,
}
