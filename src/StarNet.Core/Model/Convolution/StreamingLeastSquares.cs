using StarNet.LinearAlgebra;

namespace StarNet.Model.Convolution;

/// <summary>
/// A least-squares problem <c>min ||A X - B||_F</c> with many right-hand sides whose rows arrive in blocks, so that
/// A (for the weight solve, millions of im2col rows) is never held whole: <see cref="Add"/> folds a block in,
/// <see cref="Solve"/> factors once and solves every right-hand side.
/// </summary>
/// <remarks>
/// TEMPORARY BACKEND: until the engine's Lapack layer (branch <c>lapack</c>) lands, blocks are folded into the
/// normal equations (SYRK and GEMM into <c>A^T A</c> and <c>A^T B</c>, in double) and solved by Cholesky. Only this
/// file changes when the QR-based least squares arrives.
/// </remarks>
internal sealed class StreamingLeastSquares
{
    private readonly Matrix<double> _gram;
    private readonly Matrix<double> _rhs;

    public StreamingLeastSquares(int unknowns, int rightHandSides)
    {
        _gram = new Matrix<double>(unknowns, unknowns);
        _rhs = new Matrix<double>(unknowns, rightHandSides);
    }

    /// <summary>Rows folded in so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Folds in a block of rows of A and the matching rows of B.</summary>
    public void Add(ReadOnlyMatrixSpan<double> a, ReadOnlyMatrixSpan<double> b)
    {
        Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1.0, a, 1.0, _gram.AsSpan());
        Blas.Gemm(1.0, a, MatrixOp.Transpose, b, MatrixOp.None, 1.0, _rhs.AsSpan());
        Rows += a.Rows;
    }

    /// <summary>Solves for X (unknowns x right-hand sides), minimising <c>||A X - B||^2 + ridge ||X||^2</c>.</summary>
    /// <exception cref="InvalidOperationException">A is numerically rank deficient; the message names <paramref name="what"/>.</exception>
    public void Solve(double ridge, MatrixSpan<double> x, string what)
    {
        var factor = Matrix<double>.CopyOf(_gram.AsReadOnlySpan());
        for (int i = 0; i < factor.Rows; i++)
        {
            factor[i, i] += ridge;
        }

        CholeskyOrThrow(factor.AsSpan(), what);
        _rhs.AsReadOnlySpan().CopyTo(x);
        Blas.Trsm(Side.Left, Triangle.Lower, MatrixOp.None, DiagonalKind.NonUnit, 1.0, factor.AsReadOnlySpan(), x);
        Blas.Trsm(Side.Left, Triangle.Lower, MatrixOp.Transpose, DiagonalKind.NonUnit, 1.0, factor.AsReadOnlySpan(), x);
    }

    /// <summary>The pseudo-inverse <c>P = (A^T A + ridge I)^-1 A^T</c> of a tall full-rank A.</summary>
    public static void PseudoInverse(ReadOnlyMatrixSpan<double> a, double ridge, MatrixSpan<double> p, string what)
    {
        var solver = new StreamingLeastSquares(a.Cols, a.Rows);
        Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1.0, a, 0.0, solver._gram.AsSpan());
        for (int j = 0; j < a.Cols; j++)
        {
            for (int i = 0; i < a.Rows; i++)
            {
                solver._rhs[j, i] = a[i, j];
            }
        }

        solver.Solve(ridge, p, what);
    }

    private static void CholeskyOrThrow(MatrixSpan<double> a, string what)
    {
        int n = a.Rows;
        for (int j = 0; j < n; j++)
        {
            Span<double> rj = a.Row(j);
            double d = rj[j] - System.Numerics.Tensors.TensorPrimitives.Dot<double>(rj[..j], rj[..j]);
            if (!(d > 0) || !double.IsFinite(d))
            {
                throw new InvalidOperationException(
                    $"The least-squares system of {what} is numerically rank deficient (pivot {j} of {n}); a ridge > 0, more images or another seed may help.");
            }

            double ljj = Math.Sqrt(d);
            rj[j] = ljj;
            rj[(j + 1)..].Clear();
            for (int i = j + 1; i < n; i++)
            {
                Span<double> ri = a.Row(i);
                ri[j] = (ri[j] - System.Numerics.Tensors.TensorPrimitives.Dot<double>(ri[..j], rj[..j])) / ljj;
            }
        }
    }
}
