using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra;

/// <summary>
/// Dense factorizations in the LAPACK manner on row-major strided views: blocked Householder QR
/// (<see cref="QrFactor{T}"/>, <see cref="QrMultiply{T}"/>, <see cref="QrFormQ{T}"/>) and blocked Cholesky
/// (<see cref="CholeskyFactor{T}"/>, <see cref="CholeskySolve{T}"/>). These work in place on the caller's views
/// and touch nothing outside them; the owning <see cref="QrFactorization{T}"/> and
/// <see cref="LeastSquaresSolver{T}"/> keep the block reflector factors between calls. See docs/lapack.md.
/// </summary>
public static partial class Lapack
{
    /// <summary>
    /// Householder QR in place (LAPACK dgeqrf): A = Q R with A m x n and k = min(m, n). On return R is on and above
    /// the diagonal, the Householder vectors v_i (with an implicit unit leading entry) are below it, and
    /// Q = H_0 ... H_{k-1} with H_i = I - tau_i v_i v_i^T. Blocked with recursive panels and GEMM trailing updates;
    /// uses per-thread scratch that is reused across calls.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The matrix, overwritten with the factors.</param>
    /// <param name="tau">Receives the k reflector scalars.</param>
    /// <exception cref="ArgumentException">tau is shorter than min(m, n).</exception>
    public static void QrFactor<T>(MatrixSpan<T> a, Span<T> tau)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        int k = Math.Min(a.Rows, a.Cols);
        CheckTau(tau.Length, k, a.Rows, a.Cols);
        QrBlocking blocking = QrBlocking.For<T>(a.Rows, a.Cols);
        MatrixSpan<T> tb = Workspace<T>.Second(Math.Min(blocking.PanelWidth, Math.Max(k, 1)), k);
        HouseholderQr.Factor(a, tau[..k], tb, blocking, blockFactorsNeeded: false);
    }

    /// <summary>
    /// Applies the orthogonal factor of <see cref="QrFactor{T}"/> (LAPACK dormqr): C := op(Q) C
    /// (<see cref="Side.Left"/>, C has m rows) or C := C op(Q) (<see cref="Side.Right"/>, C has m columns), where
    /// Q is m x m. Rebuilds the block reflector factors from tau (LAPACK dlarft); keep a
    /// <see cref="QrFactorization{T}"/> to avoid that when applying Q repeatedly.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="factors">The factored matrix from <see cref="QrFactor{T}"/>.</param>
    /// <param name="tau">The reflector scalars from <see cref="QrFactor{T}"/>.</param>
    /// <param name="side">Whether Q multiplies from the left or the right.</param>
    /// <param name="opQ">Q or Q^T.</param>
    /// <param name="c">The matrix to multiply, overwritten; must not overlap the factors.</param>
    /// <exception cref="ArgumentException">The shapes do not conform or C overlaps the factors.</exception>
    public static void QrMultiply<T>(ReadOnlyMatrixSpan<T> factors, ReadOnlySpan<T> tau, Side side, MatrixOp opQ, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckQrApply(factors, tau.Length, side, opQ, c);
        int k = Math.Min(factors.Rows, factors.Cols);
        int nb = QrBlocking.For<T>(factors.Rows, factors.Cols).PanelWidth;
        MatrixSpan<T> work = Workspace<T>.Second(2 * Math.Min(nb, Math.Max(k, 1)), Math.Max(k, 1));
        MatrixSpan<T> tb = work.Slice(0, 0, Math.Min(nb, k), k);
        HouseholderQr.BlockFactorsFromTau(factors, tau, nb, tb, work.Slice(work.Rows / 2, 0, work.Rows / 2, k));
        HouseholderQr.Apply(factors, tb, nb, side, opQ == MatrixOp.Transpose, c);
    }

    /// <summary>
    /// Forms the thin orthogonal factor (LAPACK dorgqr): the first q.Cols columns of Q, into the m x q.Cols view
    /// <paramref name="q"/>, with q.Cols at most min(m, n).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="factors">The factored matrix from <see cref="QrFactor{T}"/>.</param>
    /// <param name="tau">The reflector scalars from <see cref="QrFactor{T}"/>.</param>
    /// <param name="q">Receives the columns of Q; must not overlap the factors.</param>
    /// <exception cref="ArgumentException">The shapes do not conform or Q overlaps the factors.</exception>
    public static void QrFormQ<T>(ReadOnlyMatrixSpan<T> factors, ReadOnlySpan<T> tau, MatrixSpan<T> q)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckQrFormQ(factors, tau.Length, q);
        int k = Math.Min(q.Cols, Math.Min(factors.Rows, factors.Cols));
        int nb = QrBlocking.For<T>(factors.Rows, factors.Cols).PanelWidth;
        MatrixSpan<T> work = Workspace<T>.Second(2 * Math.Min(nb, Math.Max(k, 1)), Math.Max(k, 1));
        MatrixSpan<T> tb = work.Slice(0, 0, Math.Min(nb, k), k);
        ReadOnlyMatrixSpan<T> f = factors.Slice(0, 0, factors.Rows, k);
        HouseholderQr.BlockFactorsFromTau(f, tau, nb, tb, work.Slice(work.Rows / 2, 0, work.Rows / 2, k));
        HouseholderQr.FormQ(f, tb, nb, q);
    }

    internal static void CheckTau(int tauLength, int k, int m, int n)
    {
        if (tauLength < k)
        {
            throw new ArgumentException($"tau holds {tauLength} values but the QR of a {m}x{n} matrix has {k} reflectors.", "tau");
        }
    }

    internal static void CheckQrApply<T>(ReadOnlyMatrixSpan<T> factors, int tauLength, Side side, MatrixOp opQ, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        Guard.Op(opQ, nameof(opQ));
        CheckTau(tauLength, Math.Min(factors.Rows, factors.Cols), factors.Rows, factors.Cols);
        if (side is not (Side.Left or Side.Right))
        {
            throw new ArgumentOutOfRangeException(nameof(side), $"Unknown side {side}.");
        }

        int needed = side == Side.Left ? c.Rows : c.Cols;
        if (needed != factors.Rows)
        {
            throw new ArgumentException(
                $"Q is {factors.Rows}x{factors.Rows} (from a {Guard.Shape(factors)} QR) but C is {c.Rows}x{c.Cols}; applying Q from the {(side == Side.Left ? "left needs C to have" : "right needs C to have")} {factors.Rows} {(side == Side.Left ? "rows" : "columns")}.",
                nameof(c));
        }

        Guard.NoOverlap(c, factors, "C", "factors");
    }

    internal static void CheckQrFormQ<T>(ReadOnlyMatrixSpan<T> factors, int tauLength, MatrixSpan<T> q)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        int k = Math.Min(factors.Rows, factors.Cols);
        CheckTau(tauLength, k, factors.Rows, factors.Cols);
        if (q.Rows != factors.Rows || q.Cols > k)
        {
            throw new ArgumentException($"Q must be {factors.Rows} x (at most {k}) for a {Guard.Shape(factors)} QR, but the view is {q.Rows}x{q.Cols}.", nameof(q));
        }

        Guard.NoOverlap(q, factors, "Q", "factors");
    }
}
