using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra;

/// <summary>
/// The level-2 path for one right-hand side: the same formulas as the blocked solve, with GEMV-shaped sweeps over
/// the stored factors and triangular products and solves written as row dot products, so that a single solve
/// costs about one pass over V (m x n) and allocates nothing.
/// </summary>
public sealed partial class LeastSquaresSolver<T>
{
    /// <summary>Largest n whose double scratch for the normal-equation solve goes on the stack.</summary>
    private const int StackScratchLimit = 2048;

    /// <summary>Solves one right-hand side with vector operations when the method allows it; false means use the blocked path.</summary>
    private bool TrySolveVector(ReadOnlySpan<T> b, Span<T> x)
    {
        if (_method == LeastSquaresMethod.HouseholderQR && _m >= _n)
        {
            SolveVectorQr(b, x, out _, out _);
        }
        else if (_method == LeastSquaresMethod.NormalEquations && _n <= StackScratchLimit)
        {
            SolveVectorNormal(b, x);
        }
        else
        {
            return false;
        }

        if (VectorOps.IndexOfNonFinite<T>(x) >= 0)
        {
            ThrowForSolution(new ReadOnlyMatrixSpan<T>(b, 1, _m));
        }

        return true;
    }

    /// <summary>
    /// x = R^-1 (b(0:n) - L (V1^T b(0:n) + V2^T b(n:m))) for m &gt;= n, also returning ||b||^2 and ||Q1^T b||^2 for the
    /// residual identity.
    /// </summary>
    private void SolveVectorQr(ReadOnlySpan<T> b, Span<T> x, out double b2, out double y2)
    {
        ReadOnlyMatrixSpan<T> f = _factors!.AsReadOnlySpan();
        ReadOnlyMatrixSpan<T> l = _l!.AsReadOnlySpan();
        int n = _n;

        // w := V1^T b(0:n) + V2^T b(n:m): row i of V1 (below its unit diagonal) weighted by b_i, then a GEMV.
        b[..n].CopyTo(x);
        for (int i = 1; i < n; i++)
        {
            VectorOps.Axpy(b[i], f.Row(i)[..i], x[..i]);
        }

        if (_m > n)
        {
            Blas.Gemv(T.One, f.Slice(n, 0, _m - n, n), MatrixOp.Transpose, b[n.._m], T.One, x);
        }

        // y := b(0:n) - L w, in place from the bottom row up (row i of L reads w(0:i+1), not yet overwritten).
        for (int i = n - 1; i >= 0; i--)
        {
            x[i] = b[i] - VectorOps.Dot<T>(l.Row(i)[..(i + 1)], x[..(i + 1)]);
        }

        y2 = VectorOps.SumSquaresDouble<T>(x);
        b2 = VectorOps.SumSquaresDouble(b);

        // x := R^-1 y by back substitution with row dot products.
        for (int i = n - 1; i >= 0; i--)
        {
            ReadOnlySpan<T> row = f.Row(i);
            x[i] = (x[i] - VectorOps.Dot<T>(row[(i + 1)..n], x[(i + 1)..n])) / row[i];
        }
    }

    /// <summary>x = (A^T A + lambda I)^-1 A^T b with the double Cholesky factor: A^T b by GEMV, then two substitutions in double on the stack.</summary>
    private void SolveVectorNormal(ReadOnlySpan<T> b, Span<T> x)
    {
        int n = _n;
        Blas.Gemv(T.One, _a!.AsReadOnlySpan(), MatrixOp.Transpose, b, T.Zero, x);
        ReadOnlyMatrixSpan<double> g = _gram!.AsReadOnlySpan();
        Span<double> y = stackalloc double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = double.CreateTruncating(x[i]);
        }

        // L y = c (row dot products), then L^T z = y (column updates from the bottom).
        for (int i = 0; i < n; i++)
        {
            y[i] = (y[i] - VectorOps.Dot<double>(g.Row(i)[..i], y[..i])) / g[i, i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            y[i] /= g[i, i];
            VectorOps.Axpy(-y[i], g.Row(i)[..i], y[..i]);
        }

        for (int i = 0; i < n; i++)
        {
            x[i] = T.CreateTruncating(y[i]);
        }
    }
}
