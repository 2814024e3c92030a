namespace StarNet.LinearAlgebra.Tests.Reference;

/// <summary>
/// Plain, unblocked textbook factorizations in double precision on dense double[,] matrices: Householder QR
/// (LAPACK dgeqr2 written out, with Q formed explicitly), Cholesky by the definition, least squares through the
/// Householder QR of [A; sqrt(lambda) I], triangular products, norms, and test matrices with a prescribed
/// condition number. The independent yardstick the engine's factorizations are checked against.
/// </summary>
public static class ReferenceLapack
{
    /// <summary>Full Householder QR: returns Q (m x m) and R (m x n) with A = Q R.</summary>
    public static (double[,] Q, double[,] R) Qr(double[,] a)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        var r = (double[,])a.Clone();
        var q = Identity(m);
        var v = new double[m];
        for (int j = 0; j < Math.Min(m - 1, n); j++)
        {
            double norm = 0;
            for (int i = j; i < m; i++)
            {
                norm += r[i, j] * r[i, j];
            }

            norm = Math.Sqrt(norm);
            if (norm == 0)
            {
                continue;
            }

            double alpha = r[j, j] >= 0 ? -norm : norm;
            for (int i = 0; i < m; i++)
            {
                v[i] = i < j ? 0 : r[i, j];
            }

            v[j] -= alpha;
            double vv = 0;
            for (int i = j; i < m; i++)
            {
                vv += v[i] * v[i];
            }

            if (vv == 0)
            {
                continue;
            }

            // R := H R, Q := Q H with H = I - 2 v v^T / (v^T v).
            for (int c = 0; c < n; c++)
            {
                double s = 0;
                for (int i = j; i < m; i++)
                {
                    s += v[i] * r[i, c];
                }

                s *= 2 / vv;
                for (int i = j; i < m; i++)
                {
                    r[i, c] -= s * v[i];
                }
            }

            for (int row = 0; row < m; row++)
            {
                double s = 0;
                for (int i = j; i < m; i++)
                {
                    s += q[row, i] * v[i];
                }

                s *= 2 / vv;
                for (int i = j; i < m; i++)
                {
                    q[row, i] -= s * v[i];
                }
            }

            for (int i = j + 1; i < m; i++)
            {
                r[i, j] = 0;
            }
        }

        return (q, r);
    }

    /// <summary>Solves min ||A X - B||^2 + lambda ||X||^2 (B m x k) through the QR of [A; sqrt(lambda) I].</summary>
    public static double[,] LeastSquares(double[,] a, double[,] b, double lambda)
    {
        int m = a.GetLength(0), n = a.GetLength(1), k = b.GetLength(1);
        int rows = lambda > 0 ? m + n : m;
        var aa = new double[rows, n];
        var bb = new double[rows, k];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                aa[i, j] = a[i, j];
            }

            for (int j = 0; j < k; j++)
            {
                bb[i, j] = b[i, j];
            }
        }

        for (int i = m; i < rows; i++)
        {
            aa[i, i - m] = Math.Sqrt(lambda);
        }

        (double[,] q, double[,] r) = Qr(aa);
        double[,] qtb = Multiply(Transpose(q), bb);
        var x = new double[n, k];
        for (int c = 0; c < k; c++)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                double s = qtb[i, c];
                for (int j = i + 1; j < n; j++)
                {
                    s -= r[i, j] * x[j, c];
                }

                x[i, c] = s / r[i, i];
            }
        }

        return x;
    }

    /// <summary>Cholesky by the definition: lower L with A = L L^T, or null when a pivot is not positive (with its index).</summary>
    public static (double[,]? L, int FailedPivot) Cholesky(double[,] a)
    {
        int n = a.GetLength(0);
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j, j];
            for (int k = 0; k < j; k++)
            {
                d -= l[j, k] * l[j, k];
            }

            if (!(d > 0))
            {
                return (null, j);
            }

            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    s -= l[i, k] * l[j, k];
                }

                l[i, j] = s / l[j, j];
            }
        }

        return (l, -1);
    }

    /// <summary>A random m x n matrix U diag(sigma) V^T with sigma log-spaced from 1 down to 1/kappa (2-norm condition kappa).</summary>
    public static double[,] WithCondition(int m, int n, double kappa, Random rng)
    {
        int p = Math.Min(m, n);
        double[,] u = RandomOrthogonal(m, rng), v = RandomOrthogonal(n, rng);
        var a = new double[m, n];
        for (int s = 0; s < p; s++)
        {
            double sigma = p == 1 ? 1 : Math.Pow(kappa, -(double)s / (p - 1));
            for (int i = 0; i < m; i++)
            {
                double us = u[i, s] * sigma;
                for (int j = 0; j < n; j++)
                {
                    a[i, j] += us * v[j, s];
                }
            }
        }

        return a;
    }

    /// <summary>A Haar-like random orthogonal matrix: the Q of a Gaussian matrix.</summary>
    public static double[,] RandomOrthogonal(int n, Random rng)
    {
        var g = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                g[i, j] = Gaussian(rng);
            }
        }

        return Qr(g).Q;
    }

    public static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static double[,] Random(int m, int n, Random rng)
    {
        var a = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = (rng.NextDouble() * 2) - 1;
            }
        }

        return a;
    }

    public static double[,] Identity(int n)
    {
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            a[i, i] = 1;
        }

        return a;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int m = a.GetLength(0), k = a.GetLength(1), n = b.GetLength(1);
        var c = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                double aip = a[i, p];
                for (int j = 0; j < n; j++)
                {
                    c[i, j] += aip * b[p, j];
                }
            }
        }

        return c;
    }

    public static double[,] Transpose(double[,] a)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        var t = new double[n, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                t[j, i] = a[i, j];
            }
        }

        return t;
    }

    public static double[,] Subtract(double[,] a, double[,] b)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        var c = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                c[i, j] = a[i, j] - b[i, j];
            }
        }

        return c;
    }

    /// <summary>The 1-norm (largest column sum), LAPACK dlange('1').</summary>
    public static double Norm1(double[,] a)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        double best = 0;
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int i = 0; i < m; i++)
            {
                s += Math.Abs(a[i, j]);
            }

            best = Math.Max(best, s);
        }

        return best;
    }

    /// <summary>Op(T) B (left) or B op(T) (right) for the triangle of a square matrix (other triangle ignored, unit diagonal optional).</summary>
    public static double[,] TriangularProduct(bool left, bool lower, bool trans, bool unit, double alpha, double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var t = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                bool inside = lower ? j <= i : j >= i;
                double v = !inside ? 0 : i == j && unit ? 1 : a[i, j];
                if (trans)
                {
                    t[j, i] = v;
                }
                else
                {
                    t[i, j] = v;
                }
            }
        }

        double[,] p = left ? Multiply(t, b) : Multiply(b, t);
        for (int i = 0; i < p.GetLength(0); i++)
        {
            for (int j = 0; j < p.GetLength(1); j++)
            {
                p[i, j] *= alpha;
            }
        }

        return p;
    }
}
