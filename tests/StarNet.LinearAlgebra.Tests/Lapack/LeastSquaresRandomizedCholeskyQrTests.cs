using System.Numerics;
using static StarNet.LinearAlgebra.Tests.Reference.ReferenceLapack;

namespace StarNet.LinearAlgebra.Tests.Lapack;

/// <summary>
/// The randomized CholeskyQR method: taken on moderately and badly conditioned A alike (the sketch preconditions),
/// with Householder-grade optimality; replaced by Householder QR (and reported so) when it cannot certify Q1. The
/// general properties (every SIMD path, layouts, ridge, strided views, optimality and agreement with the reference)
/// are in <see cref="LeastSquaresProperties"/>.
/// </summary>
public class LeastSquaresRandomizedCholeskyQrTests
{
    [Theory]
    [InlineData(1.0, 250)]
    [InlineData(1e6, 250)]
    [InlineData(1.0, 2000)]
    [InlineData(1e3, 2000)]
    [InlineData(1e6, 2000)]
    [InlineData(1e11, 2000)]
    public void Double_is_taken_and_agrees_with_Householder(double kappa, int m)
    {
        // m = 250 with n = 37 factors A itself (not twice the sketch's 148 rows), m = 2000 factors the sketch; kappa = 1e11 is beyond
        // any method that forms A^T A, but the sketch preconditions A whatever its condition.
        (double[,] a, double[,] b) = Problem(m, 37, 9, kappa, 0.1, seed: 1);
        var rcqr = new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = LeastSquaresMethod.RandomizedCholeskyQR });
        Assert.Equal(LeastSquaresMethod.RandomizedCholeskyQR, rcqr.Method);
        var hqr = new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan());
        double[,] x = Solve(rcqr, b), xh = Solve(hqr, b);

        // Both are within the QR perturbation bound of the exact solution, so of each other.
        double eps = LapackTestKit.Eps<double>();
        double rel = Norm1(Subtract(x, xh)) / Norm1(xh);
        Assert.True(rel <= LapackTestKit.Threshold * Math.Sqrt(m * 37) * eps * ((kappa * kappa * 0.1) + kappa), $"relative difference {rel}");
        Assert.True(OptimalityRatio(a, b, x, eps) <= LapackTestKit.Threshold);
        Assert.InRange(rcqr.ConditionNumberEstimate, hqr.ConditionNumberEstimate / 2, hqr.ConditionNumberEstimate * 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_factorization_it_cannot_certify_falls_back_to_Householder_bit_for_bit(bool rows)
    {
        (double[,] a, double[,] b) = Problem(1500, 30, 5, 100, 1e-3, seed: 2);
        LeastSquaresSolver<double> rcqr;
        LeastSquaresSolver<double>.SecondConditionLimitOverride = 1.0;
        try
        {
            rcqr = new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = LeastSquaresMethod.RandomizedCholeskyQR });
        }
        finally
        {
            LeastSquaresSolver<double>.SecondConditionLimitOverride = null;
        }

        Assert.Equal(LeastSquaresMethod.HouseholderQR, rcqr.Method);
        var hqr = new LeastSquaresSolver<double>(Make<double>(a).AsReadOnlySpan());
        Assert.Equal(hqr.ConditionNumberEstimate, rcqr.ConditionNumberEstimate);
        if (rows)
        {
            Matrix<double> bt = Make<double>(Transpose(b));
            var x1 = new Matrix<double>(5, 30);
            var x2 = new Matrix<double>(5, 30);
            hqr.SolveRows(bt.AsReadOnlySpan(), x1.AsSpan());
            rcqr.SolveRows(bt.AsReadOnlySpan(), x2.AsSpan());
            Assert.Equal(x1.Span.ToArray(), x2.Span.ToArray());
        }
        else
        {
            Assert.Equal(Flatten(Solve(hqr, b)), Flatten(Solve(rcqr, b)));
        }
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(1e3)]
    [InlineData(1e4)]
    [InlineData(1e5)]
    public void Float_is_optimal_whichever_path_the_condition_allows(double kappa)
    {
        (double[,] a, double[,] b) = Problem(1000, 40, 6, kappa, 0.01, seed: 3);
        a = LapackTestKit.Rounded<float>(a);
        b = LapackTestKit.Rounded<float>(b);
        var solver = new LeastSquaresSolver<float>(ToFloat(a).AsReadOnlySpan(), new LeastSquaresOptions { Method = LeastSquaresMethod.RandomizedCholeskyQR });
        if (kappa <= 1e3)
        {
            Assert.Equal(LeastSquaresMethod.RandomizedCholeskyQR, solver.Method);
        }

        var x = new Matrix<float>(40, 6);
        solver.Solve(ToFloat(b).AsReadOnlySpan(), x.AsSpan());
        double ratio = OptimalityRatio(a, b, LapackTestKit.ToDouble(x.AsReadOnlySpan()), LapackTestKit.Eps<float>());
        Assert.True(ratio <= LapackTestKit.Threshold, $"optimality ratio {ratio} with {solver.Method}");
    }

    [Fact]
    public void Sketch_is_the_same_on_one_and_two_threads()
    {
        (double[,] a, double[,] b) = Problem(3000, 70, 4, 1e3, 0.1, seed: 4);
        var options = new LeastSquaresOptions { Method = LeastSquaresMethod.RandomizedCholeskyQR };
        double[][] results = new double[2][];
        for (int t = 1; t <= 2; t++)
        {
            using (LinearAlgebraSettings.Override(null, null, t))
            {
                var solver = new LeastSquaresSolver<float>(ToFloat(a).AsReadOnlySpan(), options);
                Assert.Equal(LeastSquaresMethod.RandomizedCholeskyQR, solver.Method);
                results[t - 1] = Flatten(Solve(solver, b));
            }
        }

        // Every step's result is independent of the thread count (GEMM, SYRK and TRSM split their work so; the sketch runs on one thread).
        Assert.Equal(results[0], results[1]);
    }

    /// <summary>||A^T (B - A X)|| / (max(m, n, k) ||A|| (||A|| ||X|| + ||B||) eps), as in LeastSquaresProperties.</summary>
    private static double OptimalityRatio(double[,] a, double[,] b, double[,] x, double eps)
    {
        double[,] g = Multiply(Transpose(a), Subtract(b, Multiply(a, x)));
        double normA = Norm1(a);
        int scale = Math.Max(Math.Max(a.GetLength(0), a.GetLength(1)), b.GetLength(1));
        return Norm1(g) / (scale * normA * ((normA * Norm1(x)) + Norm1(b)) * eps);
    }

    private static (double[,] A, double[,] B) Problem(int m, int n, int k, double kappa, double noise, int seed)
    {
        var rng = new Random(seed);
        double[,] a = WithCondition(m, n, kappa, rng);
        double[,] b = Multiply(a, Reference.ReferenceLapack.Random(n, k, rng));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k; j++)
            {
                b[i, j] += noise * Gaussian(rng);
            }
        }

        return (a, b);
    }

    private static double[,] Solve<T>(LeastSquaresSolver<T> solver, double[,] b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new Matrix<T>(solver.Cols, b.GetLength(1));
        solver.Solve(Make<T>(b).AsReadOnlySpan(), x.AsSpan());
        return LapackTestKit.ToDouble(x.AsReadOnlySpan());
    }

    private static Matrix<float> ToFloat(double[,] a) => Make<float>(a);

    private static Matrix<T> Make<T>(double[,] a)
        where T : unmanaged, IFloatingPointIeee754<T>
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

    private static double[] Flatten(double[,] a) => a.Cast<double>().ToArray();
}
