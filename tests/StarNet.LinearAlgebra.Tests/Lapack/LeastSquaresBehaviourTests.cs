using StarNet.LinearAlgebra.Tests.Support;
using static StarNet.LinearAlgebra.Tests.Reference.ReferenceLapack;

namespace StarNet.LinearAlgebra.Tests.Lapack;

/// <summary>Errors, single right-hand sides (allocation-free, thread-safe), the pseudo-inverse and the condition estimate.</summary>
public class LeastSquaresBehaviourTests
{
    private static Matrix<T> Make<T>(double[,] a)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(a.GetLength(0), a.GetLength(1));
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                m[i, j] = T.CreateTruncating(a[i, j]);
            }
        }

        return m;
    }

    [Fact]
    public void Underdetermined_shape_is_rejected_with_the_dimensions()
    {
        var a = new Matrix<double>(3, 5);
        var ex = Assert.Throws<ArgumentException>(() => new LeastSquaresSolver<double>(a.AsReadOnlySpan()));
        Assert.Contains("3x5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("underdetermined", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LeastSquaresMethod.HouseholderQR)]
    [InlineData(LeastSquaresMethod.NormalEquations)]
    [InlineData(LeastSquaresMethod.SemiNormalEquations)]
    [InlineData(LeastSquaresMethod.RandomizedCholeskyQR)]
    public void Rank_deficient_matrix_reports_the_estimated_rank(LeastSquaresMethod method)
    {
        double[,] a = Reference.ReferenceLapack.Random(40, 6, new Random(3));
        for (int i = 0; i < 40; i++)
        {
            a[i, 4] = a[i, 0] + (2 * a[i, 1]);
        }

        var ex = Assert.Throws<RankDeficientException>(() => new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = method }));
        Assert.Equal(5, ex.EstimatedRank);
        Assert.Contains("rank 5 of 6", ex.Message, StringComparison.Ordinal);

        // A ridge term makes the same problem well posed.
        var ridge = new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = method, Ridge = 1e-3 });
        var x = new double[6];
        ridge.Solve(new double[40], x);
        Assert.All(x, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Nonfinite_entries_are_named()
    {
        double[,] a = Reference.ReferenceLapack.Random(10, 3, new Random(1));
        a[7, 2] = double.NaN;
        var exA = Assert.Throws<NonFiniteValueException>(() => new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan()));
        Assert.Equal(("A", 7, 2), (exA.MatrixName, exA.Row, exA.Column));
        Assert.Contains("A[7, 2]", exA.Message, StringComparison.Ordinal);

        a[7, 2] = 0.5;
        foreach (LeastSquaresMethod method in Enum.GetValues<LeastSquaresMethod>())
        {
            var solver = new LeastSquaresSolver<float>(Make<float>(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = method });
            var b = new Matrix<float>(10, 4);
            b[4, 1] = float.PositiveInfinity;
            var exB = Assert.Throws<NonFiniteValueException>(() => solver.Solve(b.AsReadOnlySpan(), new Matrix<float>(3, 4).AsSpan()));
            Assert.Equal(("B", 4, 1), (exB.MatrixName, exB.Row, exB.Column));
            var rowsB = new Matrix<float>(4, 10);
            rowsB[2, 9] = float.NaN;
            var exR = Assert.Throws<NonFiniteValueException>(() => solver.SolveRows(rowsB.AsReadOnlySpan(), new Matrix<float>(4, 3).AsSpan()));
            Assert.Equal(("B", 2, 9), (exR.MatrixName, exR.Row, exR.Column));
        }
    }

    [Fact]
    public void Shape_errors_name_the_operands()
    {
        var solver = new LeastSquaresSolver<double>(Make<double>(Reference.ReferenceLapack.Random(8, 3, new Random(2))).AsReadOnlySpan());
        var ex = Assert.Throws<ArgumentException>(() => solver.Solve(new Matrix<double>(7, 2).AsReadOnlySpan(), new Matrix<double>(3, 2).AsSpan()));
        Assert.Contains("A is 8x3, B is 7x2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => solver.Solve(new double[8], new double[2]));
    }

    [Theory]
    [InlineData(LeastSquaresMethod.HouseholderQR, false)]
    [InlineData(LeastSquaresMethod.HouseholderQR, true)]
    [InlineData(LeastSquaresMethod.NormalEquations, false)]
    [InlineData(LeastSquaresMethod.SemiNormalEquations, false)]
    [InlineData(LeastSquaresMethod.RandomizedCholeskyQR, false)]
    [InlineData(LeastSquaresMethod.RandomizedCholeskyQR, true)]
    public void Single_right_hand_side_matches_the_blocked_solve_and_allocates_nothing(LeastSquaresMethod method, bool pseudoInverse)
    {
        var rng = new Random(11);
        int m = 300, n = 57;
        double[,] a = WithCondition(m, n, 100, rng);
        var solver = new LeastSquaresSolver<float>(Make<float>(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = method, PrecomputePseudoInverse = pseudoInverse });
        Assert.Equal(pseudoInverse, solver.HasPseudoInverse);
        float[] b = Enumerable.Range(0, m).Select(_ => (float)Gaussian(rng)).ToArray();
        var x = new float[n];
        var xm = new Matrix<float>(n, 1);
        solver.Solve(Matrix<float>.FromRowMajor(b, m, 1).AsReadOnlySpan(), xm.AsSpan());
        solver.Solve(b, x);
        solver.Solve(b, x, out float residual);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(x[i] - xm[i, 0]) <= 1e-3 * (1 + Math.Abs(xm[i, 0])), $"x[{i}] = {x[i]} vs {xm[i, 0]}");
        }

        Assert.True(residual > 0);

        Assert.Equal(0, SteadyStateAllocation.Fewest(() => solver.Solve(b, x)));
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(true, 0.25)]
    public void Many_right_hand_sides_through_the_thin_Q_agree_with_the_block_reflector_path(bool rows, double ridge)
    {
        // k >= 2 m right-hand sides take the explicit thin Q (one GEMM); batches of fewer take the TRMM + GEMM path.
        var rng = new Random(17);
        int m = 90, n = 37, k = 3 * m, batch = m - 1;
        var solver = new LeastSquaresSolver<double>(Make<double>(WithCondition(m, n, 1e3, rng)).AsReadOnlySpan(), new LeastSquaresOptions { Ridge = ridge });
        Matrix<double> b = rows ? Make<double>(Reference.ReferenceLapack.Random(k, m, rng)) : Make<double>(Reference.ReferenceLapack.Random(m, k, rng));
        var xAll = rows ? new Matrix<double>(k, n) : new Matrix<double>(n, k);
        var xParts = rows ? new Matrix<double>(k, n) : new Matrix<double>(n, k);
        var rAll = new double[k];
        var rParts = new double[k];
        if (rows)
        {
            solver.SolveRows(b.AsReadOnlySpan(), xAll.AsSpan(), rAll);
        }
        else
        {
            solver.Solve(b.AsReadOnlySpan(), xAll.AsSpan(), rAll);
        }

        for (int j0 = 0; j0 < k; j0 += batch)
        {
            int cnt = Math.Min(batch, k - j0);
            if (rows)
            {
                solver.SolveRows(b.Slice(j0, 0, cnt, m), xParts.Slice(j0, 0, cnt, n), rParts.AsSpan(j0, cnt));
            }
            else
            {
                solver.Solve(b.Slice(0, j0, m, cnt), xParts.Slice(0, j0, n, cnt), rParts.AsSpan(j0, cnt));
            }
        }

        double scale = xAll.Span.ToArray().Max(Math.Abs);
        for (int i = 0; i < xAll.Rows; i++)
        {
            for (int j = 0; j < xAll.Cols; j++)
            {
                Assert.True(Math.Abs(xAll[i, j] - xParts[i, j]) <= 1e-9 * scale, $"X({i}, {j}) = {xAll[i, j]} vs {xParts[i, j]}");
            }
        }

        for (int j = 0; j < k; j++)
        {
            Assert.True(Math.Abs(rAll[j] - rParts[j]) <= 1e-9 * (1 + rParts[j]), $"residual {j}: {rAll[j]} vs {rParts[j]}");
        }
    }

    [Fact]
    public void Concurrent_single_solves_on_one_factorization_agree_with_sequential_ones()
    {
        var rng = new Random(5);
        int m = 200, n = 40, count = 64;
        var solver = new LeastSquaresSolver<double>(Make<double>(WithCondition(m, n, 1e3, rng)).AsReadOnlySpan());
        double[][] bs = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, m).Select(_ => Gaussian(rng)).ToArray()).ToArray();
        double[][] expected = bs.Select(b =>
        {
            var x = new double[n];
            solver.Solve(b, x);
            return x;
        }).ToArray();
        var got = new double[count][];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var x = new double[n];
            for (int rep = 0; rep < 5; rep++)
            {
                solver.Solve(bs[i], x);
            }

            got[i] = x;
        });
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(expected[i], got[i]);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e4)]
    [InlineData(1e8)]
    public void Condition_estimate_brackets_the_true_condition(double kappa)
    {
        int m = 120, n = 30;
        var solver = new LeastSquaresSolver<double>(Make<double>(WithCondition(m, n, kappa, new Random(9))).AsReadOnlySpan());

        // kappa_1(R) lies within a factor n of kappa_2(A); the estimator is a lower bound within a factor 3 in practice.
        Assert.InRange(solver.ConditionNumberEstimate, kappa / (3.0 * n), kappa * n);
    }

    [Theory]
    [InlineData(LeastSquaresMethod.HouseholderQR, 0.0)]
    [InlineData(LeastSquaresMethod.HouseholderQR, 0.25)]
    [InlineData(LeastSquaresMethod.NormalEquations, 0.0)]
    [InlineData(LeastSquaresMethod.SemiNormalEquations, 0.25)]
    [InlineData(LeastSquaresMethod.RandomizedCholeskyQR, 0.0)]
    [InlineData(LeastSquaresMethod.RandomizedCholeskyQR, 0.25)]
    public void Pseudo_inverse_reproduces_the_solves(LeastSquaresMethod method, double ridge)
    {
        var rng = new Random(21);
        int m = 90, n = 25, k = 7;
        double[,] a = WithCondition(m, n, 50, rng);
        double[,] b = Reference.ReferenceLapack.Random(m, k, rng);
        var solver = new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = method, Ridge = ridge });
        var x = new Matrix<double>(n, k);
        solver.Solve(Make<double>(b).AsReadOnlySpan(), x.AsSpan());
        solver.PrecomputePseudoInverse();
        double[,] px = Multiply(LapackTestKit.ToDouble(solver.PseudoInverse), b);
        double diff = Norm1(Subtract(px, LapackTestKit.ToDouble(x.AsReadOnlySpan())));
        Assert.True(diff <= 1e-10 * Norm1(px), $"P B differs from the solve by {diff}");
    }

    [Fact]
    public void Ridge_accepts_underdetermined_shapes_and_matches_the_reference()
    {
        var rng = new Random(4);
        double[,] a = Reference.ReferenceLapack.Random(6, 15, rng);
        double[,] b = Reference.ReferenceLapack.Random(6, 3, rng);
        double[,] expected = LeastSquares(a, b, 0.1);
        foreach (LeastSquaresMethod method in Enum.GetValues<LeastSquaresMethod>())
        {
            var solver = new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = method, Ridge = 0.1 });
            var x = new Matrix<double>(15, 3);
            var rows = new Matrix<double>(3, 15);
            var res = new double[3];
            solver.Solve(Make<double>(b).AsReadOnlySpan(), x.AsSpan(), res);
            solver.SolveRows(Make<double>(Transpose(b)).AsReadOnlySpan(), rows.AsSpan());
            Assert.True(Norm1(Subtract(LapackTestKit.ToDouble(x.AsReadOnlySpan()), expected)) <= 1e-12 * Norm1(expected), $"{method}");
            Assert.True(Norm1(Subtract(LapackTestKit.ToDouble(rows.AsReadOnlySpan()), Transpose(expected))) <= 1e-12 * Norm1(expected), $"{method} rows");
            double[,] r = Subtract(b, Multiply(a, expected));
            for (int j = 0; j < 3; j++)
            {
                double s = 0;
                for (int i = 0; i < 6; i++)
                {
                    s += r[i, j] * r[i, j];
                }

                Assert.True(Math.Abs(res[j] - Math.Sqrt(s)) <= 1e-8 * (1 + Math.Sqrt(s)), $"{method} residual {j}: {res[j]} vs {Math.Sqrt(s)}");
            }
        }
    }

    [Theory]
    [InlineData(LeastSquaresMethod.HouseholderQR)]
    [InlineData(LeastSquaresMethod.NormalEquations)]
    [InlineData(LeastSquaresMethod.SemiNormalEquations)]
    [InlineData(LeastSquaresMethod.RandomizedCholeskyQR)]
    public void Solve_once_gives_the_kept_solvers_results_and_errors(LeastSquaresMethod method)
    {
        double[,] ad = Reference.ReferenceLapack.Random(700, 37, new Random(5));
        double[,] bd = Reference.ReferenceLapack.Random(700, 11, new Random(6));
        Matrix<float> a = Make<float>(ad), b = Make<float>(bd);
        var options = new LeastSquaresOptions { Method = method };
        var kept = new LeastSquaresSolver<float>(a.AsReadOnlySpan(), options);
        var expected = new Matrix<float>(37, 11);
        kept.Solve(b.AsReadOnlySpan(), expected.AsSpan());
        var once = new Matrix<float>(37, 11);
        double condition = LeastSquaresSolver<float>.SolveOnce(a.AsReadOnlySpan(), b.AsReadOnlySpan(), once.AsSpan(), options);
        Assert.Equal(expected.Span.ToArray(), once.Span.ToArray());
        Assert.Equal(kept.ConditionNumberEstimate, condition);

        // A non-finite entry of A is named (the normal equations find it from the Gram matrix's diagonal).
        a[123, 17] = float.NegativeInfinity;
        var ex = Assert.Throws<NonFiniteValueException>(() => LeastSquaresSolver<float>.SolveOnce(a.AsReadOnlySpan(), b.AsReadOnlySpan(), once.AsSpan(), options));
        Assert.Equal(("A", 123, 17), (ex.MatrixName, ex.Row, ex.Column));
        a[123, 17] = float.NaN;
        ex = Assert.Throws<NonFiniteValueException>(() => new LeastSquaresSolver<float>(a.AsReadOnlySpan(), options));
        Assert.Equal(("A", 123, 17), (ex.MatrixName, ex.Row, ex.Column));
    }

    [Theory]
    [InlineData(LeastSquaresMethod.HouseholderQR)]
    [InlineData(LeastSquaresMethod.NormalEquations)]
    [InlineData(LeastSquaresMethod.SemiNormalEquations)]
    [InlineData(LeastSquaresMethod.RandomizedCholeskyQR)]
    public void Solve_once_reusing_its_storage_gives_the_kept_solvers_results(LeastSquaresMethod method)
    {
        // One-shot solves reuse the thread's factor storage: a large solve leaves non-zero factors in it, then a
        // smaller one (a strided view of A, the storage not cleared) and a ridge one (whose extra rows must be zero
        // again) must still give exactly the results of solver objects, which factor into fresh zeroed matrices.
        var rng = new Random(9);
        foreach ((int m, int n, int k, double ridge, int pad) in new[] { (900, 40, 7, 0.0, 0), (300, 25, 5, 0.0, 3), (60, 25, 4, 0.5, 0), (20, 31, 3, 0.25, 2), (900, 40, 7, 0.0, 0) })
        {
            var options = new LeastSquaresOptions { Method = method, Ridge = ridge };
            var storage = new Matrix<double>(m, n + pad);
            MatrixSpan<double> a = storage.Slice(0, 0, m, n);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n + pad; j++)
                {
                    storage[i, j] = (2 * rng.NextDouble()) - 1;
                }
            }

            Matrix<double> b = Make<double>(Reference.ReferenceLapack.Random(m, k, rng));
            var expected = new Matrix<double>(n, k);
            var kept = new LeastSquaresSolver<double>(a, options);
            kept.Solve(b.AsReadOnlySpan(), expected.AsSpan());
            var once = new Matrix<double>(n, k);
            double condition = LeastSquaresSolver<double>.SolveOnce(a, b.AsReadOnlySpan(), once.AsSpan(), options);
            Assert.Equal(expected.Span.ToArray(), once.Span.ToArray());
            Assert.Equal(kept.ConditionNumberEstimate, condition);

            // The same in the rows layout (one right-hand side per row of B and of X).
            Matrix<double> bRows = Make<double>(Reference.ReferenceLapack.Random(k, m, rng));
            var expectedRows = new Matrix<double>(k, n);
            kept.SolveRows(bRows.AsReadOnlySpan(), expectedRows.AsSpan());
            var onceRows = new Matrix<double>(k, n);
            Assert.Equal(condition, LeastSquaresSolver<double>.SolveRowsOnce(a, bRows.AsReadOnlySpan(), onceRows.AsSpan(), options));
            Assert.Equal(expectedRows.Span.ToArray(), onceRows.Span.ToArray());
        }
    }
}
