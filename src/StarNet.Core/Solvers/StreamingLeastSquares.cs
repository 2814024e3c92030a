using StarNet.LinearAlgebra;

namespace StarNet.Solvers;

/// <summary>
/// A least-squares problem <c>min ||A X - B||_F (+ ridge ||X||_F^2)</c> with many right-hand sides whose rows
/// arrive in blocks, so that A (for a weight solve over many images, millions of im2col rows) is never held whole.
/// Each <see cref="Add"/> folds a block into a running n x n triangle by one Householder QR of
/// <c>[R; A_block]</c> (the TSQR update) and applies the same Q^T to <c>[Q^T B; B_block]</c>;
/// <see cref="Solve"/> then solves the small triangular problem <c>min ||R X - Q^T B||</c>, which has the same
/// solution as the whole problem. Work is 2 m n^2 over all blocks, as for one QR of A; memory is one block.
/// </summary>
/// <remarks>
/// Runs in double; the engine's <see cref="QrFactorization{T}"/> and <see cref="LeastSquaresSolver{T}"/> do the
/// factoring. With <see cref="LeastSquaresMethod.NormalEquations"/> the blocks are folded into <c>A^T A</c> (SYRK) and
/// <c>A^T B</c> (GEMM) instead, m n^2 flops at level-3 speed, and solved by the engine's Cholesky: error of order
/// kappa(A)^2 eps in double, which is ample for im2col patches (kappa a few hundred to a few thousand), and about
/// three to four times faster on this machine than the tall-skinny QR.
/// </remarks>
internal sealed class StreamingLeastSquares
{
    private readonly int _n;
    private readonly int _k;
    private readonly bool _normal;
    private readonly Matrix<double>? _gram;
    private readonly Matrix<double>? _atb;
    private Matrix<double> _stackA;
    private Matrix<double> _stackB;

    public StreamingLeastSquares(int unknowns, int rightHandSides, LeastSquaresMethod method = LeastSquaresMethod.HouseholderQR)
    {
        _n = unknowns;
        _k = rightHandSides;
        _normal = method == LeastSquaresMethod.NormalEquations;
        _gram = _normal ? new Matrix<double>(unknowns, unknowns) : null;
        _atb = _normal ? new Matrix<double>(unknowns, rightHandSides) : null;
        _stackA = new Matrix<double>(unknowns, unknowns);
        _stackB = new Matrix<double>(unknowns, rightHandSides);
    }

    /// <summary>Rows folded in so far.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Makes room for a block of <paramref name="rows"/> rows, to be filled through <see cref="BlockA"/> and
    /// <see cref="BlockB"/> and folded in by <see cref="Add"/>.
    /// </summary>
    public void Reserve(int rows)
    {
        if (_stackA.Rows < _n + rows)
        {
            var a = new Matrix<double>(_n + rows, _n);
            var b = new Matrix<double>(_n + rows, _k);
            _stackA.Slice(0, 0, _n, _n).CopyTo(a.Slice(0, 0, _n, _n));
            _stackB.Slice(0, 0, _n, _k).CopyTo(b.Slice(0, 0, _n, _k));
            _stackA = a;
            _stackB = b;
        }

    }

    /// <summary>Rows of A of the block being filled (after <see cref="Reserve"/>).</summary>
    public MatrixSpan<double> BlockA(int rows) => _stackA.Slice(_n, 0, rows, _n);

    /// <summary>Rows of B of the block being filled (after <see cref="Reserve"/>).</summary>
    public MatrixSpan<double> BlockB(int rows) => _stackB.Slice(_n, 0, rows, _k);

    /// <summary>Folds in the first <paramref name="rows"/> rows of the block.</summary>
    public void Add(int rows)
    {
        Rows += rows;
        if (_normal)
        {
            Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1.0, BlockA(rows), 1.0, _gram!.AsSpan());
            Blas.Gemm(1.0, BlockA(rows), MatrixOp.Transpose, BlockB(rows), MatrixOp.None, 1.0, _atb!.AsSpan());
            return;
        }

        MatrixSpan<double> a = _stackA.Slice(0, 0, _n + rows, _n);
        MatrixSpan<double> b = _stackB.Slice(0, 0, _n + rows, _k);
        var qr = new QrFactorization<double>(a);
        qr.ApplyQ(Side.Left, MatrixOp.Transpose, b);
        qr.CopyRTo(_stackA.Slice(0, 0, _n, _n));
    }

    /// <summary>Solves for X (unknowns x right-hand sides), minimising <c>||A X - B||^2 + ridge ||X||^2</c>.</summary>
    /// <exception cref="RankDeficientException">A is numerically rank deficient (and the ridge is 0).</exception>
    /// <exception cref="MatrixNotPositiveDefiniteException">The same, found by the normal equations' Cholesky.</exception>
    /// <returns>The engine's 1-norm condition estimate of R (that of A), or NaN with the normal equations.</returns>
    public double Solve(double ridge, MatrixSpan<double> x)
    {
        if (_normal)
        {
            var factor = Matrix<double>.CopyOf(_gram!.AsReadOnlySpan());
            for (int i = 0; i < _n; i++)
            {
                factor[i, i] += ridge;
            }

            Lapack.CholeskyFactor(factor.AsSpan(), Triangle.Lower);
            _atb!.AsReadOnlySpan().CopyTo(x);
            Lapack.CholeskySolve(factor.AsReadOnlySpan(), Triangle.Lower, x);
            return double.NaN;
        }

        var solver = new LeastSquaresSolver<double>(_stackA.Slice(0, 0, _n, _n), new LeastSquaresOptions { Ridge = ridge });
        solver.Solve(_stackB.Slice(0, 0, _n, _k), x);
        return solver.ConditionNumberEstimate;
    }
}
