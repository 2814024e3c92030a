using StarNet.Benchmarks.Lapack;
using StarNet.Benchmarks.Peers;
using StarNet.LinearAlgebra;

namespace StarNet.PerfCompare.Tests;

/// <summary>
/// The LAPACKE/CBLAS peers of the LAPACK-layer benchmarks (perf/StarNet.Benchmarks/Peers/Lapacke.cs) compute what
/// they claim on small column-major problems, compared with the engine's own results, and every benchmark class
/// runs one call per implementation on its smallest case. Where the system OpenBLAS/LAPACKE is absent the peer
/// checks return early (the benchmarks then run ours only, which is also checked).
/// </summary>
public unsafe class LapackPeerTests
{
    private static Matrix<double> Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                m[i, j] = rng.NextDouble() - 0.5;
            }
        }

        return m;
    }

    private static double[] ColumnMajor(Matrix<double> a)
    {
        var c = new double[a.Rows * a.Cols];
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < a.Cols; j++)
            {
                c[(j * a.Rows) + i] = a[i, j];
            }
        }

        return c;
    }

    [Fact]
    public void Geqrf_peer_gives_the_same_R_as_ours_up_to_row_signs()
    {
        if (!Lapacke.IsAvailable)
        {
            return;
        }

        int m = 23, n = 9;
        Matrix<double> a = Random(m, n, 1);
        double[] col = ColumnMajor(a);
        var tau = new double[n];
        var work = new double[Lapacke.GeqrfWorkspace<double>(m, n)];
        fixed (double* pa = col, pt = tau, pw = work)
        {
            Assert.Equal(0, Lapacke.Geqrf(m, n, pa, m, pt, pw, work.Length));
        }

        var ours = Matrix<double>.CopyOf(a.AsReadOnlySpan());
        StarNet.LinearAlgebra.Lapack.QrFactor(ours.AsSpan(), new double[n]);
        for (int i = 0; i < n; i++)
        {
            double sign = Math.Sign(ours[i, i]) * Math.Sign(col[(i * m) + i]);
            for (int j = i; j < n; j++)
            {
                Assert.Equal(ours[i, j], sign * col[(j * m) + i], 1e-12);
            }
        }
    }

    [Fact]
    public void Potrf_peer_factors_the_row_major_lower_triangle_like_ours()
    {
        if (!Lapacke.IsAvailable)
        {
            return;
        }

        int n = 17;
        Matrix<double> g = Random(n, n, 2);
        var a = new Matrix<double>(n, n);
        Blas.Gemm(1.0, g.AsReadOnlySpan(), MatrixOp.None, g.AsReadOnlySpan(), MatrixOp.Transpose, 0.0, a.AsSpan());
        for (int i = 0; i < n; i++)
        {
            a[i, i] += n;
        }

        // Row-major lower = column-major upper of the same buffer: the peer reads exactly our triangle.
        var peer = Matrix<double>.CopyOf(a.AsReadOnlySpan());
        fixed (double* p = peer.Span)
        {
            Assert.Equal(0, Lapacke.Potrf(n, p, n));
        }

        StarNet.LinearAlgebra.Lapack.CholeskyFactor(a.AsSpan(), Triangle.Lower);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                Assert.Equal(a[i, j], peer[i, j], 1e-12);
            }
        }
    }

    [Fact]
    public void Gels_and_the_normal_equations_peer_solve_the_same_least_squares_problem_as_ours()
    {
        if (!Lapacke.IsAvailable)
        {
            return;
        }

        int m = 40, n = 6, k = 3;
        Matrix<double> a = Random(m, n, 3), b = Random(m, k, 4);
        var x = new Matrix<double>(n, k);
        new LeastSquaresSolver<double>(a.AsReadOnlySpan()).Solve(b.AsReadOnlySpan(), x.AsSpan());

        double[] colA = ColumnMajor(a), colB = ColumnMajor(b);
        var work = new double[Lapacke.GelsWorkspace<double>(m, n, k)];
        var gram = new double[n * n];
        var c = new double[n * k];
        fixed (double* pa = colA, pb = colB, pw = work, pg = gram, pc = c)
        {
            // The normal equations first: gels overwrites A and B.
            Lapacke.GramUpper(m, n, pa, m, pg, n);
            Lapacke.TransposeTimes(m, n, k, pa, m, pb, m, pc, n);
            Assert.Equal(0, Lapacke.Potrf(n, pg, n));
            Assert.Equal(0, Lapacke.Potrs(n, k, pg, n, pc, n));
            Assert.Equal(0, Lapacke.Gels(m, n, k, pa, m, pb, m, pw, work.Length));
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                Assert.Equal(x[i, j], colB[(j * m) + i], 1e-10);
                Assert.Equal(x[i, j], c[(j * n) + i], 1e-10);
            }
        }
    }

    [Fact]
    public void Gemv_peer_applies_a_column_major_matrix()
    {
        if (!Lapacke.IsAvailable)
        {
            return;
        }

        int rows = 5, cols = 11;
        Matrix<double> p = Random(rows, cols, 5);
        double[] colP = ColumnMajor(p);
        double[] v = Random(1, cols, 6).Span.ToArray();
        var y = new double[rows];
        var expected = new double[rows];
        fixed (double* pp = colP, pv = v, py = y)
        {
            Lapacke.Gemv(rows, cols, pp, rows, pv, py);
        }

        Blas.Gemv(1.0, p.AsReadOnlySpan(), MatrixOp.None, v, 0.0, expected);
        Assert.Equal(expected, y, (e, g) => Math.Abs(e - g) <= 1e-12);
    }

    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    public void Every_LAPACK_benchmark_class_runs_a_call_for_each_implementation(string precision)
    {
        foreach (string impl in QrBenchmarks.Implementations)
        {
            var qr = new QrBenchmarks { Shape = QrBenchmarks.Shapes.First(), Precision = precision, Implementation = impl };
            qr.Setup();
            qr.Geqrf();
            var chol = new CholeskyBenchmarks { N = 64, Precision = precision, Implementation = impl };
            chol.Setup();
            chol.Potrf();
        }

        foreach (string impl in SingleRhsBenchmarks.Implementations)
        {
            foreach (string route in new[] { "Solver", "PseudoInverse" })
            {
                var single = new SingleRhsBenchmarks { Precision = precision, Route = route, Implementation = impl };
                if (single.IsMeaningful)
                {
                    single.Setup();
                    single.SolveOne();
                }
            }
        }

        // A small least-squares problem through the benchmark's own code paths (the real ones take seconds).
        foreach (string impl in LeastSquaresBenchmarks.Implementations)
        {
            foreach (string method in new[] { "QR", "NE", "SNE" })
            {
                foreach (bool rows in new[] { false, true })
                {
                    var ls = new LeastSquaresBenchmarks
                    {
                        Problem = new LeastSquaresProblem("small", 50, 7, 9, rows), Precision = precision, Method = method, Implementation = impl,
                    };
                    if (ls.IsMeaningful)
                    {
                        ls.Setup();
                        ls.Solve();
                    }
                }
            }
        }
    }
}
