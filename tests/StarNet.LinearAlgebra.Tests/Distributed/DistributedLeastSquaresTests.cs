using System.Numerics;
using StarNet.LinearAlgebra.Distributed;
using StarNet.LinearAlgebra.Tests.Support;

namespace StarNet.LinearAlgebra.Tests.Distributed;

/// <summary>
/// The distributed solves on simulated ranks against the single-process <see cref="LeastSquaresSolver{T}"/> on all
/// rows: equal to rounding (normwise error within 30 n eps times the condition number, squared for the normal
/// equations), identical on every rank, and reproducible bit for bit.
/// </summary>
public class DistributedLeastSquaresTests
{
    public static TheoryData<DistributedSolveMethod, int[]> Splits()
    {
        var data = new TheoryData<DistributedSolveMethod, int[]>();
        int[][] splits =
        [
            [300],              // one rank
            [150, 150],
            [100, 101, 99],
            [0, 5, 200, 95],    // an empty rank and one with fewer rows than columns
            [40, 40, 40, 40, 40, 40, 60],
        ];
        foreach (DistributedSolveMethod method in Enum.GetValues<DistributedSolveMethod>())
        {
            foreach (int[] split in splits)
            {
                data.Add(method, split);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Equals_the_single_process_solve_to_rounding_in_double(DistributedSolveMethod method, int[] split) =>
        CheckAgainstSingleProcess<double>(method, split, n: 17, k: 5, ridge: 0);

    [Theory]
    [MemberData(nameof(Splits))]
    public void Equals_the_single_process_solve_to_rounding_in_float(DistributedSolveMethod method, int[] split) =>
        CheckAgainstSingleProcess<float>(method, split, n: 17, k: 5, ridge: 0);

    [Theory]
    [InlineData(DistributedSolveMethod.NormalEquations)]
    [InlineData(DistributedSolveMethod.Tsqr)]
    public void Ridge_matches_the_single_process_ridge(DistributedSolveMethod method) =>
        CheckAgainstSingleProcess<double>(method, [3, 4, 2], n: 12, k: 3, ridge: 0.25);

    [Theory]
    [InlineData(DistributedSolveMethod.NormalEquations)]
    [InlineData(DistributedSolveMethod.Tsqr)]
    public void Stacked_shard_model_shape_with_bias_column(DistributedSolveMethod method)
    {
        // StarNet's weight solve: [H 1] X = T with H from a 128-wide layer and T 256 wide, over 4 shards.
        CheckAgainstSingleProcess<double>(method, [700, 700, 700, 700], n: 129, k: 256, ridge: 0, biasColumn: true);
    }

    [Theory]
    [InlineData(DistributedSolveMethod.NormalEquations)]
    [InlineData(DistributedSolveMethod.Tsqr)]
    public void Results_are_identical_on_every_rank_and_reproducible(DistributedSolveMethod method)
    {
        (Matrix<double> a, Matrix<double> b) = Problem<double>(400, 9, 4, seed: 3, biasColumn: false);
        double[][] first = RunSharded(method, a, b, [130, 0, 270], ridge: 0);
        double[][] second = RunSharded(method, a, b, [130, 0, 270], ridge: 0);
        Assert.All(first, x => Assert.Equal(first[0], x));
        Assert.Equal(first[0], second[0]);
    }

    [Theory]
    [InlineData(DistributedSolveMethod.NormalEquations)]
    [InlineData(DistributedSolveMethod.Tsqr)]
    public void Too_few_rows_in_all_fail_on_every_rank(DistributedSolveMethod method)
    {
        (Matrix<double> a, Matrix<double> b) = Problem<double>(6, 8, 2, seed: 4, biasColumn: false);
        var e = Assert.Throws<ArgumentException>(() => RunSharded(method, a, b, [3, 3], ridge: 0));
        Assert.Contains("6 rows in all", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DistributedSolveMethod.NormalEquations)]
    [InlineData(DistributedSolveMethod.Tsqr)]
    public void Rank_deficiency_fails_on_every_rank(DistributedSolveMethod method)
    {
        (Matrix<double> a, Matrix<double> b) = Problem<double>(90, 6, 2, seed: 5, biasColumn: false);
        for (int i = 0; i < a.Rows; i++)
        {
            a[i, 4] = 2 * a[i, 1];
        }

        var outcomes = InProcessCommunicatorGroup.Run(3, c =>
        {
            RowPartition part = RowPartition.For(a.Rows, c);
            var x = new Matrix<double>(6, 2);
            try
            {
                DistributedLeastSquares.Solve(c, a.AsReadOnlySpan().Slice((int)part.Start, 0, part.Count, 6), b.AsReadOnlySpan().Slice((int)part.Start, 0, part.Count, 2), x.AsSpan(), method);
                return "solved";
            }
            catch (ArithmeticException e)
            {
                return e.GetType().Name;
            }
        });
        Assert.All(outcomes, o => Assert.EndsWith("Exception", o, StringComparison.Ordinal));
    }

    [Fact]
    public void Communicated_numbers_do_not_depend_on_the_rows()
    {
        // n = d_in + 1 = 129, k = d_out = 256: packed triangle 8385 + cross 33024 + the row count.
        Assert.Equal(8385 + 33024 + 1, DistributedLeastSquares.CommunicatedNumbers(DistributedSolveMethod.NormalEquations, 129, 256));
        Assert.Equal(1 + 8385 + 33024 + 1 + 33024 + 1, DistributedLeastSquares.CommunicatedNumbers(DistributedSolveMethod.Tsqr, 129, 256));
    }

    private static void CheckAgainstSingleProcess<T>(DistributedSolveMethod method, int[] split, int n, int k, double ridge, bool biasColumn = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = split.Sum();
        (Matrix<T> a, Matrix<T> b) = Problem<T>(rows, n, k, seed: (ulong)(rows + n), biasColumn);
        var single = new LeastSquaresSolver<T>(
            a.AsReadOnlySpan(),
            new LeastSquaresOptions { Method = method == DistributedSolveMethod.Tsqr ? LeastSquaresMethod.HouseholderQR : LeastSquaresMethod.NormalEquations, Ridge = ridge });
        var reference = new Matrix<T>(n, k);
        single.Solve(b.AsReadOnlySpan(), reference.AsSpan());

        double[][] distributed = RunSharded(method, a, b, split, ridge);
        double kappa = Math.Max(1, single.ConditionNumberEstimate);
        double amplification = method == DistributedSolveMethod.NormalEquations ? kappa * kappa : kappa;
        double[] expected = [.. reference.ToArray().Select(v => double.CreateTruncating(v))];
        double norm = Math.Sqrt(expected.Sum(v => v * v));
        foreach (double[] x in distributed)
        {
            double error = Math.Sqrt(x.Zip(expected, (p, q) => (p - q) * (p - q)).Sum());
            double ratio = error / (norm * amplification * Math.Max(rows, n) * Tolerance.Eps<T>());
            Assert.True(ratio <= 30, $"{method} on {split.Length} ranks ({string.Join("+", split)} rows): ||X - X_single|| / ||X|| = {error / norm:E2}, ratio {ratio:F2} > 30 (kappa {kappa:F1})");
        }
    }

    private static double[][] RunSharded<T>(DistributedSolveMethod method, Matrix<T> a, Matrix<T> b, int[] split, double ridge)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Cols, k = b.Cols;
        return InProcessCommunicatorGroup.Run(split.Length, c =>
        {
            int start = split.Take(c.Rank).Sum();
            int count = split[c.Rank];
            var x = new Matrix<T>(n, k);
            DistributedLeastSquares.Solve(c, a.AsReadOnlySpan().Slice(start, 0, count, n), b.AsReadOnlySpan().Slice(start, 0, count, k), x.AsSpan(), method, ridge);
            return x.ToArray().Select(v => double.CreateTruncating(v)).ToArray();
        });
    }

    /// <summary>A well-conditioned random problem; with <paramref name="biasColumn"/> the last column of A is all ones.</summary>
    private static (Matrix<T> A, Matrix<T> B) Problem<T>(int rows, int n, int k, ulong seed, bool biasColumn)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random((int)seed);
        var a = new Matrix<T>(rows, n);
        var b = new Matrix<T>(rows, k);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = biasColumn && j == n - 1 ? T.One : T.CreateTruncating(random.NextDouble() - 0.5);
            }

            for (int j = 0; j < k; j++)
            {
                b[i, j] = T.CreateTruncating((2 * random.NextDouble()) - 1);
            }
        }

        return (a, b);
    }
}
