using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.LinearAlgebra.Tests.Support;
using static StarNet.LinearAlgebra.Tests.Reference.ReferenceLapack;

namespace StarNet.LinearAlgebra.Tests.Lapack;

public sealed record LsCase(KernelConfig Config, int M, int N, int K, double Kappa, LeastSquaresMethod Method, double Ridge, bool Rows, double Noise, int Leaf, int Pad, int Seed)
{
    public override string ToString() =>
        $"{Config} m={M} n={N} k={K} kappa={Kappa:G2} method={Method} ridge={Ridge} rows={Rows} noise={Noise} leaf={Leaf} pad={Pad} seed={Seed}";
}

public static class LsArbitraries
{
    public static Arbitrary<LsCase> Ls() =>
        (from config in Generators.Config
         let max = Generators.MaxSize(config, 140)
         from n in Generators.Size(Math.Min(max, 64))
         from extra in Gen.Frequency((5, Generators.Size(max)), (1, Gen.Constant(0)))
         from k in Generators.Size(Math.Min(max, 33))
         from kappa in Gen.Elements(1.0, 10.0, 1e3, 1e6)
         from method in Gen.Elements(LeastSquaresMethod.HouseholderQR, LeastSquaresMethod.HouseholderQR, LeastSquaresMethod.NormalEquations, LeastSquaresMethod.SemiNormalEquations, LeastSquaresMethod.RandomizedCholeskyQR)
         from ridge in Gen.Frequency((4, Gen.Constant(0.0)), (1, Gen.Elements(1e-3, 0.5)))
         from wide in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
         let m = wide && ridge > 0 ? Math.Max(1, n / 2) : n + extra
         from rows in Gen.Elements(false, true)
         from noise in Gen.Elements(0.0, 1e-4, 1.0)
         from leaf in Gen.Elements(0, 1, 3, 8)
         from pad in Gen.Elements(0, 3)
         from seed in Gen.Choose(0, int.MaxValue)
         select new LsCase(config, m, n, k, kappa, method, ridge, rows, noise, leaf, pad, seed)).ToArbitrary();
}

/// <summary>
/// Least squares against an independent plain Householder solver in double and LAPACK's optimality ratio, on every
/// SIMD path, both layouts of the right-hand sides, with and without ridge, strided views in guarded storage.
/// </summary>
[Properties(Arbitrary = [typeof(LsArbitraries)], MaxTest = 40)]
public class LeastSquaresProperties
{
    [Property]
    public void LeastSquares_float_is_optimal_and_agrees_with_reference(LsCase c) => Check<float>(c);

    [Property]
    public void LeastSquares_double_is_optimal_and_agrees_with_reference(LsCase c) => Check<double>(c);

    /// <summary>
    /// The condition used for a case: float keeps kappa^2 eps below about 0.1 for the normal equations and
    /// kappa below 1e3 otherwise; double keeps kappa below 1e6 (1e4 for the normal equations).
    /// </summary>
    private static double KappaFor<T>(LsCase c) =>
        typeof(T) == typeof(float)
            ? Math.Min(c.Kappa, c.Method == LeastSquaresMethod.NormalEquations ? 30 : 1e3)
            : Math.Min(c.Kappa, c.Method == LeastSquaresMethod.NormalEquations ? 1e4 : 1e6);

    private static void Check<T>(LsCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        int m = c.M, n = c.N, k = c.K;
        double kappa = KappaFor<T>(c);
        double[,] a = LapackTestKit.Rounded<T>(WithCondition(m, n, kappa, rng));
        double[,] x0 = Reference.ReferenceLapack.Random(n, k, rng);
        double[,] b = Multiply(a, x0);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k; j++)
            {
                b[i, j] += c.Noise * Gaussian(rng);
            }
        }

        b = LapackTestKit.Rounded<T>(b);
        PaddedMatrix<T> ap = LapackTestKit.Padded<T>(a, c.Pad);
        PaddedMatrix<T> bp = LapackTestKit.Padded<T>(c.Rows ? Transpose(b) : b, c.Pad);
        var xp = c.Rows ? new PaddedMatrix<T>(k, n, c.Pad, 1) : new PaddedMatrix<T>(n, k, c.Pad, 1);
        var res = new T[k + 1];
        res[k] = T.CreateTruncating(42);
        using (LapackTestKit.Apply(c.Config, c.Leaf == 0 ? 0 : 64, Math.Max(1, c.Leaf)))
        {
            var solver = new LeastSquaresSolver<T>(ap.View, new LeastSquaresOptions { Method = c.Method, Ridge = c.Ridge });
            if (c.Rows)
            {
                solver.SolveRows(bp.View, xp.View, res.AsSpan(0, k));
            }
            else
            {
                solver.Solve(bp.View, xp.View, res.AsSpan(0, k));
            }
        }

        Assert.True(ap.GuardsIntact() && bp.GuardsIntact() && xp.GuardsIntact(), $"least squares wrote outside its views for {c}");
        Assert.True(res[k] == T.CreateTruncating(42), "least squares wrote past the residual norms");
        Assert.True(Norm1(Subtract(ap.ToDouble(), a)) == 0 && Norm1(Subtract(bp.ToDouble(), c.Rows ? Transpose(b) : b)) == 0, "inputs changed");
        double[,] x = c.Rows ? Transpose(xp.ToDouble()) : xp.ToDouble();
        double eps = LapackTestKit.Eps<T>();
        double normA = Norm1(a), normB = Norm1(b), normX = Norm1(x);
        double[,] r = Subtract(b, Multiply(a, x));

        // Optimality: A^T (B - A X) - lambda X = 0, scaled as LAPACK dqrt17 but with ||A|| ||X|| + ||B|| in place of ||B||,
        // which keeps the ratio scale-free when A is ill-conditioned. Skipped for the normal equations (kappa^2 eps).
        if (c.Method != LeastSquaresMethod.NormalEquations)
        {
            double[,] g = Multiply(Transpose(a), r);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    g[i, j] -= c.Ridge * x[i, j];
                }
            }

            double scale = Math.Max(Math.Max(m, n), k) * normA * ((normA * normX) + normB + (c.Ridge * normX)) * eps;
            double ratio = Norm1(g) / scale;
            Assert.True(ratio <= LapackTestKit.Threshold, $"optimality ratio {ratio} for {c}");
            if (kappa <= 10 && c.Ridge == 0)
            {
                double lapackRatio = Norm1(Multiply(Transpose(r), a)) / (Math.Max(Math.Max(m, n), k) * normA * normB * eps);
                Assert.True(lapackRatio <= LapackTestKit.Threshold, $"LAPACK dqrt17 ratio {lapackRatio} for {c}");
            }
        }

        // Agreement with the reference solution, within the perturbation bound eps (kappa + kappa^2 ||r|| / (||A|| ||x||)),
        // kappa^2 for the normal equations; the double reference has its own share of that bound.
        double[,] xr = LeastSquares(a, b, c.Ridge);
        double[,] rr = Subtract(b, Multiply(a, xr));
        double sigmaMax = 1;
        double rel = Norm1(Subtract(x, xr)) / Math.Max(Norm1(xr), double.Epsilon);
        double residualShare = Norm1(rr) / (sigmaMax * Math.Max(Norm1(xr), double.Epsilon));
        double amplification = c.Method == LeastSquaresMethod.NormalEquations
            ? kappa * kappa * (1 + residualShare)
            : kappa + (kappa * kappa * residualShare);
        double bound = LapackTestKit.Threshold * Math.Sqrt(m * n) * (eps + Math.Pow(2, -52)) * amplification;
        Assert.True(rel <= Math.Max(bound, 1e3 * eps), $"relative difference from the reference {rel} > {bound} for {c}");

        // Residual norms: accurate to about sqrt(eps) relative, or to rounding level absolute.
        for (int j = 0; j < k; j++)
        {
            double s = 0, bj = 0, xj = 0;
            for (int i = 0; i < m; i++)
            {
                s += r[i, j] * r[i, j];
                bj += Math.Abs(b[i, j]);
            }

            for (int i = 0; i < n; i++)
            {
                xj += Math.Abs(x[i, j]);
            }

            double truth = Math.Sqrt(s);
            double got = double.CreateTruncating(res[j]);
            double allowed = LapackTestKit.Threshold * ((Math.Sqrt(eps) * truth) + (m * eps * ((normA * xj) + bj)));
            Assert.True(Math.Abs(got - truth) <= allowed, $"residual norm {j}: {got} vs {truth} (allowed {allowed}) for {c}");
        }
    }
}
