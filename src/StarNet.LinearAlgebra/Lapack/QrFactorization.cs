using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra;

/// <summary>
/// An owned Householder QR factorization A = Q R of an m x n matrix (k = min(m, n) reflectors), factored once by
/// the blocked recursive algorithm of <see cref="Lapack.QrFactor{T}"/>, keeping the block reflector factors T
/// (LAPACK dgeqrt) so that applying Q or Q^T to many right-hand sides is GEMM-shaped work without recomputation.
/// Q stays implicit; it is formed only on request (<see cref="FormThinQ"/>). Instances are immutable after
/// construction: every method may be called from many threads at once.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class QrFactorization<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _factors;
    private readonly T[] _tau;
    private readonly Matrix<T> _blockFactors;
    private readonly int _panelWidth;

    /// <summary>Copies and factors <paramref name="a"/> (which is left unchanged).</summary>
    /// <param name="a">The m x n matrix to factor.</param>
    public QrFactorization(ReadOnlyMatrixSpan<T> a)
        : this(Matrix<T>.CopyOf(a), QrBlocking.For<T>(a.Rows, a.Cols))
    {
    }

    /// <summary>Factors <paramref name="storage"/> in place (it becomes owned by this object).</summary>
    internal QrFactorization(Matrix<T> storage, QrBlocking blocking)
    {
        Guard.SupportedType<T>();
        _factors = storage;
        int k = Math.Min(storage.Rows, storage.Cols);
        _tau = new T[k];
        _panelWidth = blocking.PanelWidth;
        _blockFactors = new Matrix<T>(Math.Max(1, Math.Min(_panelWidth, k)), Math.Max(1, k));
        HouseholderQr.Factor(storage.AsSpan(), _tau, _blockFactors.AsSpan(), blocking);
    }

    /// <summary>Rows m of the factored matrix.</summary>
    public int Rows => _factors.Rows;

    /// <summary>Columns n of the factored matrix.</summary>
    public int Cols => _factors.Cols;

    /// <summary>The compact factors in the LAPACK dgeqrf layout: R on and above the diagonal, reflectors below.</summary>
    public ReadOnlyMatrixSpan<T> Factors => _factors.AsReadOnlySpan();

    /// <summary>The k reflector scalars tau.</summary>
    public ReadOnlySpan<T> Tau => _tau;

    /// <summary>The k x k triangular factor T of the reflectors when the whole factorization is one panel (internal use).</summary>
    internal ReadOnlyMatrixSpan<T> BlockFactors => _blockFactors.AsReadOnlySpan();

    /// <summary>Panel width of the stored block factors.</summary>
    internal int PanelWidth => _panelWidth;

    /// <summary>Copies the k x n upper trapezoidal factor R into <paramref name="r"/> (zeros below the diagonal).</summary>
    /// <param name="r">A k x n view.</param>
    /// <exception cref="ArgumentException">The view is not k x n.</exception>
    public void CopyRTo(MatrixSpan<T> r)
    {
        int k = _tau.Length;
        if (r.Rows != k || r.Cols != Cols)
        {
            throw new ArgumentException($"R is {k}x{Cols} but the destination view is {r.Rows}x{r.Cols}.", nameof(r));
        }

        ReadOnlyMatrixSpan<T> f = Factors;
        for (int i = 0; i < k; i++)
        {
            Span<T> row = r.Row(i);
            row[..i].Clear();
            f.Row(i)[i..].CopyTo(row[i..]);
        }
    }

    /// <summary>Returns R (k x n upper trapezoidal) as a new matrix.</summary>
    public Matrix<T> GetR()
    {
        var r = new Matrix<T>(_tau.Length, Cols);
        CopyRTo(r.AsSpan());
        return r;
    }

    /// <summary>
    /// C := op(Q) C (<see cref="Side.Left"/>, C has m rows) or C := C op(Q) (<see cref="Side.Right"/>, C has m
    /// columns), with Q the full m x m orthogonal factor applied as block reflectors (LAPACK dgemqrt).
    /// </summary>
    /// <param name="side">Whether Q multiplies from the left or the right.</param>
    /// <param name="opQ">Q or Q^T.</param>
    /// <param name="c">The matrix to multiply, overwritten.</param>
    /// <exception cref="ArgumentException">The shapes do not conform.</exception>
    public void ApplyQ(Side side, MatrixOp opQ, MatrixSpan<T> c)
    {
        Lapack.CheckQrApply(Factors, _tau.Length, side, opQ, c);
        HouseholderQr.Apply(Factors, _blockFactors.AsReadOnlySpan(), _panelWidth, side, opQ == MatrixOp.Transpose, c);
    }

    /// <summary>Forms the first q.Cols (at most k) columns of Q into the m-row view <paramref name="q"/> (LAPACK dorgqr).</summary>
    /// <param name="q">Receives the columns of Q.</param>
    /// <exception cref="ArgumentException">The view is not m x (at most k).</exception>
    public void FormThinQ(MatrixSpan<T> q)
    {
        Lapack.CheckQrFormQ(Factors, _tau.Length, q);
        HouseholderQr.FormQ(Factors.Slice(0, 0, Rows, Math.Min(q.Cols, _tau.Length)), _blockFactors.AsReadOnlySpan(), _panelWidth, q);
    }

    /// <summary>Returns the thin Q (m x k) as a new matrix.</summary>
    public Matrix<T> GetThinQ()
    {
        var q = new Matrix<T>(Rows, _tau.Length);
        FormThinQ(q.AsSpan());
        return q;
    }
}
