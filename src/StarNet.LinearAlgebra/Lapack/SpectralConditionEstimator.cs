using System.Numerics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Estimates the 2-norm condition number kappa_2(R) = sigma_max / sigma_min of an upper triangular matrix by power
/// iteration on R^T R (for sigma_max) and on (R^T R)^-1 through two triangular solves (for sigma_min), from a fixed start
/// vector, so the estimate is deterministic. Both are lower bounds of the true values that converge quickly when the
/// matrix is well conditioned, the case where the estimate is used: certifying that the Q1 of the randomized CholeskyQR
/// is close to orthonormal (kappa_1 from <see cref="TriangularConditionEstimator"/> can exceed kappa_2 by a factor of
/// order sqrt(n) there, too coarse for that test). O(n^2) per iteration, in double.
/// </summary>
internal static class SpectralConditionEstimator
{
    /// <summary>Power iterations per extreme singular value.</summary>
    public const int Iterations = 20;

    /// <summary>kappa_2 of the upper triangular n x n view <paramref name="r"/>; infinity when R is singular.</summary>
    public static double Estimate<T>(ReadOnlyMatrixSpan<T> r)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = r.Rows;
        var rd = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                rd[(i * n) + j] = double.CreateTruncating(r[i, j]);
            }

            if (!(rd[(i * n) + i] != 0) || !double.IsFinite(rd[(i * n) + i]))
            {
                return double.PositiveInfinity;
            }
        }

        var v = new double[n];
        var w = new double[n];
        double largest = Power(rd, n, v, w, inverse: false);
        double smallestInverse = Power(rd, n, v, w, inverse: true);
        return Math.Sqrt(largest * smallestInverse);
    }

    /// <summary>The largest eigenvalue of R^T R (or of its inverse) by power iteration; v and w are scratch.</summary>
    private static double Power(double[] r, int n, double[] v, double[] w, bool inverse)
    {
        for (int i = 0; i < n; i++)
        {
            v[i] = 1 + (0.5 * (i % 3)) - (0.25 * (i % 7));
        }

        Normalize(v);
        double lambda = 0;
        for (int it = 0; it < Iterations; it++)
        {
            if (inverse)
            {
                // (R^T R)^-1 v: R^T w = v forward, then R v = w backward.
                for (int i = 0; i < n; i++)
                {
                    double s = v[i];
                    for (int k = 0; k < i; k++)
                    {
                        s -= r[(k * n) + i] * w[k];
                    }

                    w[i] = s / r[(i * n) + i];
                }

                for (int i = n - 1; i >= 0; i--)
                {
                    double s = w[i];
                    for (int k = i + 1; k < n; k++)
                    {
                        s -= r[(i * n) + k] * v[k];
                    }

                    v[i] = s / r[(i * n) + i];
                }
            }
            else
            {
                // R^T R v: w = R v, then v = R^T w.
                for (int i = 0; i < n; i++)
                {
                    double s = 0;
                    for (int k = i; k < n; k++)
                    {
                        s += r[(i * n) + k] * v[k];
                    }

                    w[i] = s;
                }

                for (int i = 0; i < n; i++)
                {
                    double s = 0;
                    for (int k = 0; k <= i; k++)
                    {
                        s += r[(k * n) + i] * w[k];
                    }

                    v[i] = s;
                }
            }

            lambda = Normalize(v);
            if (!double.IsFinite(lambda))
            {
                return double.PositiveInfinity;
            }
        }

        return lambda;
    }

    private static double Normalize(double[] v)
    {
        double s = 0;
        foreach (double x in v)
        {
            s += x * x;
        }

        double norm = Math.Sqrt(s);
        for (int i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }

        return norm;
    }
}
