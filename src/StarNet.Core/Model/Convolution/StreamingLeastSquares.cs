using StarNet.LinearAlgebra;

namespace StarNet.Model.Convolution;

/// <summary>
/// A least-squares problem <c>min ||A X - B||_F (+ ridge ||X||_F^2)</c> with many right-hand sides whose rows
/// arrive in blocks, so that A (for a weight solve over many images, millions of im2col rows) is never held whole.
/// Each <see cref="Add"/> folds a block into a running n x n triangle by one Householder QR of
/// <c>[R; A_block]</c> (the TSQR update) and applies the same Q^T to <c>[Q^T B; B_block]</c>;
/// <see cref="Solve"/> then solves the small triangular problem <c>min ||R X - Q^T B||</c>, which has the same
/// solution as the whole problem. Work is 2 m n^2 over all blocks, as for one QR of A; memory is one block.
/// </summary>
/// <remarks>Runs in double; the engine's <see cref="QrFactorization{T}"/> and <see cref="LeastSquaresSolver{T}"/> do the factoring.</remarks>
internal sealed class StreamingLeastSquares
{
    private readonly int _n;
    private readonly int _k;
    private Matrix<double> _stackA;
    private Matrix<double> _stackB;

    public StreamingLeastSquares(int unknowns, int rightHandSides)
    {
        _n = unknowns;
        _k = rightHandSides;
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
        MatrixSpan<double> a = _stackA.Slice(0, 0, _n + rows, _n);
        MatrixSpan<double> b = _stackB.Slice(0, 0, _n + rows, _k);
        var qr = new QrFactorization<double>(a);
        qr.ApplyQ(Side.Left, MatrixOp.Transpose, b);
        qr.CopyRTo(_stackA.Slice(0, 0, _n, _n));
        Rows += rows;
    }

    /// <summary>Solves for X (unknowns x right-hand sides), minimising <c>||A X - B||^2 + ridge ||X||^2</c>.</summary>
    /// <exception cref="RankDeficientException">A is numerically rank deficient (and the ridge is 0).</exception>
    public void Solve(double ridge, MatrixSpan<double> x)
    {
        var solver = new LeastSquaresSolver<double>(_stackA.Slice(0, 0, _n, _n), new LeastSquaresOptions { Ridge = ridge });
        solver.Solve(_stackB.Slice(0, 0, _n, _k), x);
    }
}
