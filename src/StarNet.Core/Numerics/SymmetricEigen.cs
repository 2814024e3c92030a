using StarNet.LinearAlgebra;

namespace StarNet.Numerics;

/// <summary>
/// Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method (in double): for the d x d
/// covariances of latents (d up to a few hundred), where its cost of a few sweeps of O(d^3) is small next to one pass
/// over the datapoints, and its accuracy (eigenvectors to the gap's relative precision) is the best available.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 60;

    /// <summary>
    /// Decomposes <c>A = V diag(values) V^T</c>: the values in descending order, the columns of V orthonormal, each
    /// column's largest-magnitude component (the first such) positive, so that the result is fixed by A alone.
    /// </summary>
    /// <param name="a">A symmetric n x n matrix (its upper triangle is read).</param>
    /// <param name="values">Receives the n eigenvalues, descending.</param>
    /// <param name="vectors">Receives V, n x n, eigenvectors as columns.</param>
    public static void Decompose(ReadOnlyMatrixSpan<double> a, Span<double> values, MatrixSpan<double> vectors)
    {
        int n = a.Rows;
        var m = new double[n * n];
        var v = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                m[(i * n) + j] = m[(j * n) + i] = a[i, j];
            }

            v[(i * n) + i] = 1;
        }

        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++)
            {
                diag += m[(i * n) + i] * m[(i * n) + i];
                for (int j = i + 1; j < n; j++)
                {
                    off += m[(i * n) + j] * m[(i * n) + j];
                }
            }

            if (off <= 1e-30 * diag || off == 0)
            {
                break;
            }

            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    Rotate(m, v, n, p, q);
                }
            }
        }

        int[] order = [.. Enumerable.Range(0, n).OrderByDescending(i => m[(i * n) + i]).ThenBy(i => i)];
        for (int k = 0; k < n; k++)
        {
            int c = order[k];
            values[k] = m[(c * n) + c];
            int largest = 0;
            for (int i = 1; i < n; i++)
            {
                if (Math.Abs(v[(i * n) + c]) > Math.Abs(v[(largest * n) + c]))
                {
                    largest = i;
                }
            }

            double sign = v[(largest * n) + c] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++)
            {
                vectors[i, k] = sign * v[(i * n) + c];
            }
        }
    }

    /// <summary>One Jacobi rotation that zeroes m[p, q] (Golub and Van Loan, section 8.5), on the row-major n x n arrays.</summary>
    private static void Rotate(double[] m, double[] v, int n, int p, int q)
    {
        double apq = m[(p * n) + q];
        if (apq == 0)
        {
            return;
        }

        double app = m[(p * n) + p], aqq = m[(q * n) + q];
        if (Math.Abs(apq) <= 1e-18 * Math.Sqrt(Math.Abs(app * aqq)))
        {
            m[(p * n) + q] = m[(q * n) + p] = 0;
            return;
        }

        double tau = (aqq - app) / (2 * apq);
        double t = tau >= 0 ? 1 / (tau + Math.Sqrt(1 + (tau * tau))) : -1 / (-tau + Math.Sqrt(1 + (tau * tau)));
        double c = 1 / Math.Sqrt(1 + (t * t)), s = t * c;
        for (int k = 0; k < n; k++)
        {
            if (k == p || k == q)
            {
                continue;
            }

            double mkp = m[(k * n) + p], mkq = m[(k * n) + q];
            double np = (c * mkp) - (s * mkq), nq = (s * mkp) + (c * mkq);
            m[(k * n) + p] = m[(p * n) + k] = np;
            m[(k * n) + q] = m[(q * n) + k] = nq;
        }

        m[(p * n) + p] = app - (t * apq);
        m[(q * n) + q] = aqq + (t * apq);
        m[(p * n) + q] = m[(q * n) + p] = 0;
        for (int k = 0; k < n; k++)
        {
            double vkp = v[(k * n) + p], vkq = v[(k * n) + q];
            v[(k * n) + p] = (c * vkp) - (s * vkq);
            v[(k * n) + q] = (s * vkp) + (c * vkq);
        }
    }
}
