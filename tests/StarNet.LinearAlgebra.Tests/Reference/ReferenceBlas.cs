namespace StarNet.LinearAlgebra.Tests.Reference;

/// <summary>
/// Plain textbook BLAS in double precision with triple loops and no blocking, tiling or SIMD: the independent
/// reference the engine's kernels are checked against. Matrices are dense row-major double[,].
/// </summary>
public static class ReferenceBlas
{
    /// <summary>op(M)[i, j].</summary>
    public static double Op(double[,] m, bool trans, int i, int j) => trans ? m[j, i] : m[i, j];

    /// <summary>C := alpha op(A) op(B) + beta C, plus the componentwise magnitude |alpha| |op(A)| |op(B)| + |beta| |C|.</summary>
    public static (double[,] C, double[,] Magnitude) Gemm(double alpha, double[,] a, bool ta, double[,] b, bool tb, double beta, double[,] c)
    {
        int m = c.GetLength(0), n = c.GetLength(1), k = ta ? a.GetLength(0) : a.GetLength(1);
        var r = new double[m, n];
        var mag = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0, sa = 0;
                for (int p = 0; p < k; p++)
                {
                    double t = Op(a, ta, i, p) * Op(b, tb, p, j);
                    s += t;
                    sa += Math.Abs(t);
                }

                double old = beta == 0 ? 0 : beta * c[i, j];
                r[i, j] = (alpha * s) + old;
                mag[i, j] = (Math.Abs(alpha) * sa) + (beta == 0 ? 0 : Math.Abs(beta * c[i, j]));
            }
        }

        return (r, mag);
    }

    /// <summary>Solves op(A) X = alpha B (left) or X op(A) = alpha B (right) by plain substitution on the full triangle.</summary>
    public static double[,] Trsm(bool left, bool lower, bool trans, bool unit, double alpha, double[,] a, double[,] b)
    {
        int m = b.GetLength(0), n = b.GetLength(1), order = a.GetLength(0);
        var t = new double[order, order];
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                bool inTriangle = lower ? j <= i : j >= i;
                double v = i == j && unit ? 1.0 : inTriangle ? a[i, j] : 0.0;
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

        // Now solve with the explicit triangular matrix t = op(A).
        var x = new double[m, n];
        if (left)
        {
            for (int col = 0; col < n; col++)
            {
                var rhs = new double[m];
                for (int i = 0; i < m; i++)
                {
                    rhs[i] = alpha * b[i, col];
                }

                double[] sol = SolveDense(t, rhs);
                for (int i = 0; i < m; i++)
                {
                    x[i, col] = sol[i];
                }
            }
        }
        else
        {
            // X t = B  <=>  t^T X^T = B^T.
            var tt = new double[order, order];
            for (int i = 0; i < order; i++)
            {
                for (int j = 0; j < order; j++)
                {
                    tt[i, j] = t[j, i];
                }
            }

            for (int row = 0; row < m; row++)
            {
                var rhs = new double[n];
                for (int j = 0; j < n; j++)
                {
                    rhs[j] = alpha * b[row, j];
                }

                double[] sol = SolveDense(tt, rhs);
                for (int j = 0; j < n; j++)
                {
                    x[row, j] = sol[j];
                }
            }
        }

        return x;
    }

    /// <summary>Dense solve of a triangular (upper or lower, detected) system by substitution.</summary>
    private static double[] SolveDense(double[,] t, double[] rhs)
    {
        int n = rhs.Length;
        bool isLower = true;
        for (int i = 0; i < n && isLower; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (t[i, j] != 0)
                {
                    isLower = false;
                    break;
                }
            }
        }

        var x = new double[n];
        if (isLower)
        {
            for (int i = 0; i < n; i++)
            {
                double s = rhs[i];
                for (int j = 0; j < i; j++)
                {
                    s -= t[i, j] * x[j];
                }

                x[i] = s / t[i, i];
            }
        }
        else
        {
            for (int i = n - 1; i >= 0; i--)
            {
                double s = rhs[i];
                for (int j = i + 1; j < n; j++)
                {
                    s -= t[i, j] * x[j];
                }

                x[i] = s / t[i, i];
            }
        }

        return x;
    }
}
