using System.Numerics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// The blocked Householder QR driver and the Q operations built on its stored block reflectors
/// (LAPACK dgeqrt/dgemqrt, the block-T-keeping variants of dgeqrf/dormqr/dorgqr). Row-major A is m x n with
/// k = min(m, n) reflectors; the T factor of panel j (columns j..j+jb) is kept at <c>tb(0:jb, j:j+jb)</c>.
/// <code>
///   for j in 0, NB, 2 NB, ... &lt; k:
///     [R11; V1], T1 := recursive panel QR of A(j:m, j:j+jb)           (QrPanelFactorization)
///     A(j:m, j+jb:n) := (I - V1 T1 V1^T)^T A(j:m, j+jb:n)              (BlockReflector: two GEMMs)
/// </code>
/// </summary>
internal static class HouseholderQr
{
    /// <summary>
    /// Factors <paramref name="a"/> in place; tau has k entries, tb is at least min(NB, k) x k and receives the block
    /// T factors unless <paramref name="blockFactorsNeeded"/> is false (then it may serve as scratch only). Small
    /// matrices (<see cref="QrBlocking.Unblocked"/>) are factored without blocking, and their T factors are formed
    /// from tau afterwards only when needed.
    /// </summary>
    public static void Factor<T>(MatrixSpan<T> a, Span<T> tau, MatrixSpan<T> tb, QrBlocking blocking, bool blockFactorsNeeded = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, n = a.Cols, k = Math.Min(m, n), nb = blocking.PanelWidth;
        if (blocking.Unblocked && n <= UnblockedHouseholderQr.MaxCols)
        {
            UnblockedHouseholderQr.Factor(a, tau);
            if (blockFactorsNeeded)
            {
                BlockFactorsFromTau<T>(a, tau, nb, tb, Workspace<T>.First(Math.Min(nb, k), Math.Min(nb, k)));
            }

            return;
        }

        for (int j = 0; j < k; j += nb)
        {
            int jb = Math.Min(nb, k - j);
            MatrixSpan<T> panel = a.Slice(j, j, m - j, jb);
            MatrixSpan<T> tj = tb.Slice(0, j, jb, jb);
            QrPanelFactorization.Factor(panel, tau.Slice(j, jb), tj, blocking.LeafWidth);
            int rest = n - j - jb;
            if (rest > 0)
            {
                BlockReflector.ApplyLeft(panel, tj, transpose: true, a.Slice(j, j + jb, m - j, rest), Workspace<T>.First(jb, rest));
            }
        }
    }

    /// <summary>Recomputes the block T factors (panel width <paramref name="nb"/>) from the reflectors and tau (dlarft per panel).</summary>
    public static void BlockFactorsFromTau<T>(ReadOnlyMatrixSpan<T> f, ReadOnlySpan<T> tau, int nb, MatrixSpan<T> tb, MatrixSpan<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = f.Rows, k = Math.Min(f.Rows, f.Cols);
        for (int j = 0; j < k; j += nb)
        {
            int jb = Math.Min(nb, k - j);
            BlockReflectorFactor.Compute(f.Slice(j, j, m - j, jb), tau.Slice(j, jb), tb.Slice(0, j, jb, jb), scratch.Slice(0, 0, jb, jb));
        }
    }

    /// <summary>
    /// C := op(Q) C (left, C has m rows) or C op(Q) (right, C has m columns), Q the m x m orthogonal factor.
    /// Q^T from the left and Q from the right run the panels forward; the other two run them backward.
    /// </summary>
    public static void Apply<T>(ReadOnlyMatrixSpan<T> f, ReadOnlyMatrixSpan<T> tb, int nb, Side side, bool transposeQ, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = f.Rows, k = Math.Min(f.Rows, f.Cols);
        if (k == 0 || c.IsEmpty)
        {
            return;
        }

        bool forward = (side == Side.Left) == transposeQ;
        int blocks = (k + nb - 1) / nb;
        for (int b = 0; b < blocks; b++)
        {
            int j = (forward ? b : blocks - 1 - b) * nb;
            int jb = Math.Min(nb, k - j);
            ReadOnlyMatrixSpan<T> v = f.Slice(j, j, m - j, jb), t = tb.Slice(0, j, jb, jb);
            if (side == Side.Left)
            {
                BlockReflector.ApplyLeft(v, t, transposeQ, c.Slice(j, 0, m - j, c.Cols), Workspace<T>.First(jb, c.Cols));
            }
            else
            {
                BlockReflector.ApplyRight(v, t, transposeQ, c.Slice(0, j, c.Rows, m - j), Workspace<T>.First(c.Rows, jb));
            }
        }
    }

    /// <summary>
    /// Forms the first q.Cols (at most k) columns of Q in the m-row view q (LAPACK dorgqr): q := Q [I; 0], applying
    /// the panels backward, each only to the columns it can change.
    /// </summary>
    public static void FormQ<T>(ReadOnlyMatrixSpan<T> f, ReadOnlyMatrixSpan<T> tb, int nb, MatrixSpan<T> q)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = f.Rows, kq = q.Cols, k = Math.Min(Math.Min(f.Rows, f.Cols), kq);
        q.Clear();
        for (int i = 0; i < kq; i++)
        {
            q[i, i] = T.One;
        }

        int blocks = (k + nb - 1) / nb;
        for (int b = blocks - 1; b >= 0; b--)
        {
            int j = b * nb;
            int jb = Math.Min(nb, k - j);
            ReadOnlyMatrixSpan<T> v = f.Slice(j, j, m - j, jb), t = tb.Slice(0, j, jb, jb);
            BlockReflector.ApplyLeft(v, t, transpose: false, q.Slice(j, j, m - j, kq - j), Workspace<T>.First(jb, kq - j));
        }
    }
}
