using System.Numerics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Estimates the 1-norm condition number of a triangular matrix, kappa_1(R) = ||R||_1 ||R^-1||_1 (LAPACK dtrcon),
/// with the Hager/Higham estimator for ||R^-1||_1 (LAPACK dlacn2): a few solves with R and R^T that climb to the
/// column of R^-1 with the largest 1-norm, plus Higham's alternating test vector as a safeguard. The estimate is a
/// lower bound that is almost always within a factor of 3 of the truth, for O(n^2) work. Arithmetic is in double.
/// </summary>
internal static class TriangularConditionEstimator
{
    private const int MaxIterations = 5;

    /// <summary>kappa_1 of the upper triangular n x n view <paramref name="r"/> (read with <paramref name="transpose"/> when it stores the lower factor L = R^T).</summary>
    public static double Estimate<T>(ReadOnlyMatrixSpan<T> r, bool transpose)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = r.Rows;
        if (n == 0)
        {
            return 1;
        }

        double normR = 0;
        for (int j = 0; j < n; j++)
        {
            double col = 0;
            for (int i = 0; i <= j; i++)
            {
                col += Math.Abs(At(r, transpose, i, j));
            }

            normR = Math.Max(normR, col);
        }

        var x = new double[n];
        var y = new double[n];
        Array.Fill(x, 1.0 / n);
        double est = 0;
        int lastJ = -1;
        for (int iter = 0; iter < MaxIterations; iter++)
        {
            x.CopyTo(y, 0);
            Solve(r, transpose, y, transposed: false);
            double newEst = 0;
            foreach (double v in y)
            {
                newEst += Math.Abs(v);
            }

            if (!double.IsFinite(newEst))
            {
                return double.PositiveInfinity;
            }

            if (iter > 0 && newEst <= est)
            {
                break;
            }

            est = newEst;
            for (int i = 0; i < n; i++)
            {
                y[i] = y[i] >= 0 ? 1 : -1;
            }

            Solve(r, transpose, y, transposed: true);
            int j = 0;
            for (int i = 1; i < n; i++)
            {
                if (Math.Abs(y[i]) > Math.Abs(y[j]))
                {
                    j = i;
                }
            }

            if (j == lastJ)
            {
                break;
            }

            lastJ = j;
            Array.Clear(x);
            x[j] = 1;
        }

        // Higham's safeguard: x_i = (-1)^i (1 + i / (n - 1)), estimate 2 ||R^-1 x||_1 / (3 n).
        for (int i = 0; i < n; i++)
        {
            y[i] = (i % 2 == 0 ? 1 : -1) * (1 + (n > 1 ? (double)i / (n - 1) : 0));
        }

        Solve(r, transpose, y, transposed: false);
        double alt = 0;
        foreach (double v in y)
        {
            alt += Math.Abs(v);
        }

        est = Math.Max(est, 2 * alt / (3 * n));
        return normR * est;
    }

    private static double At<T>(ReadOnlyMatrixSpan<T> r, bool transpose, int i, int j)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        double.CreateTruncating(transpose ? r[j, i] : r[i, j]);

    /// <summary>y := R^-1 y, or R^-T y when <paramref name="transposed"/>, by substitution.</summary>
    private static void Solve<T>(ReadOnlyMatrixSpan<T> r, bool transpose, double[] y, bool transposed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = r.Rows;
        if (!transposed)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                double s = y[i];
                for (int j = i + 1; j < n; j++)
                {
                    s -= At(r, transpose, i, j) * y[j];
                }

                y[i] = s / At(r, transpose, i, i);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                double s = y[i];
                for (int j = 0; j < i; j++)
                {
                    s -= At(r, transpose, j, i) * y[j];
                }

                y[i] = s / At(r, transpose, i, i);
            }
        }
    }
}
