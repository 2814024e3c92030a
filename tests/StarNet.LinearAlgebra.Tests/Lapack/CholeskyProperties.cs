using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.LinearAlgebra.Tests.Support;
using static StarNet.LinearAlgebra.Tests.Reference.ReferenceLapack;

namespace StarNet.LinearAlgebra.Tests.Lapack;

public sealed record CholeskyCase(KernelConfig Config, int N, int Rhs, double Kappa, Triangle Uplo, int Pad, int Seed)
{
    public override string ToString() => $"{Config} n={N} rhs={Rhs} kappa={Kappa:G2} uplo={Uplo} pad={Pad} seed={Seed}";
}

public static class CholeskyArbitraries
{
    public static Arbitrary<CholeskyCase> Cholesky() =>
        (from config in Generators.Config
         let max = Generators.MaxSize(config, 160)
         from n in Generators.Size(max)
         from rhs in Generators.Size(Math.Min(max, 40))
         from kappa in Gen.Elements(1.0, 1e2, 1e5)
         from uplo in Gen.Elements(Triangle.Lower, Triangle.Upper)
         from pad in Gen.Elements(0, 2)
         from seed in Gen.Choose(0, int.MaxValue)
         select new CholeskyCase(config, n, rhs, kappa, uplo, pad, seed)).ToArbitrary();
}

/// <summary>
/// Blocked Cholesky against LAPACK's ratio ||A - L L^T|| / (n ||A|| eps) and the solve ratio
/// ||B - A X|| / (n ||A|| ||X|| eps), both at most 30, the other triangle and the guard cells untouched; and the
/// failing pivot of a matrix that is not positive definite, with the factor of the leading block before it.
/// </summary>
[Properties(Arbitrary = [typeof(CholeskyArbitraries)], MaxTest = 40)]
public class CholeskyProperties
{
    [Property]
    public void Cholesky_float_ratios_below_30(CholeskyCase c) => Check<float>(c);

    [Property]
    public void Cholesky_double_ratios_below_30(CholeskyCase c) => Check<double>(c);

    [Property]
    public void Cholesky_double_names_the_failing_pivot(CholeskyCase c) => CheckIndefinite<double>(c);

    [Property]
    public void Cholesky_float_names_the_failing_pivot(CholeskyCase c) => CheckIndefinite<float>(c);

    private static double[,] Spd(int n, double kappa, Random rng)
    {
        double[,] u = RandomOrthogonal(n, rng);
        var a = new double[n, n];
        for (int s = 0; s < n; s++)
        {
            double sigma = n == 1 ? 1 : Math.Pow(kappa, -(double)s / (n - 1));
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    a[i, j] += u[i, s] * sigma * u[j, s];
                }
            }
        }

        // Exactly symmetric.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                a[j, i] = a[i, j];
            }
        }

        return a;
    }

    private static void Check<T>(CholeskyCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        int n = c.N;
        double kappa = typeof(T) == typeof(float) ? Math.Min(c.Kappa, 1e3) : c.Kappa;
        double[,] a = LapackTestKit.Rounded<T>(Spd(n, kappa, rng));
        PaddedMatrix<T> f = LapackTestKit.Padded<T>(a, c.Pad);
        double[,] b = LapackTestKit.Rounded<T>(Reference.ReferenceLapack.Random(n, c.Rhs, rng));
        PaddedMatrix<T> x = LapackTestKit.Padded<T>(b, c.Pad);
        using (c.Config.Apply())
        {
            LinearAlgebra.Lapack.CholeskyFactor(f.View, c.Uplo);
            LinearAlgebra.Lapack.CholeskySolve<T>(f.View, c.Uplo, x.View);
        }

        Assert.True(f.GuardsIntact() && x.GuardsIntact(), $"Cholesky wrote outside its views for {c}");
        double[,] fd = f.ToDouble();
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                bool inTriangle = c.Uplo == Triangle.Lower ? j <= i : j >= i;
                if (inTriangle)
                {
                    if (c.Uplo == Triangle.Lower)
                    {
                        l[i, j] = fd[i, j];
                    }
                    else
                    {
                        l[j, i] = fd[i, j];
                    }
                }
                else
                {
                    Assert.True(fd[i, j] == a[i, j], $"Cholesky touched ({i}, {j}) outside the {c.Uplo} triangle for {c}");
                }
            }
        }

        double eps = LapackTestKit.Eps<T>();
        double normA = Norm1(a);
        double factorRatio = Norm1(Subtract(a, Multiply(l, Transpose(l)))) / (n * normA * eps);
        double[,] xd = x.ToDouble();
        double solveRatio = Norm1(Subtract(b, Multiply(a, xd))) / (n * normA * Norm1(xd) * eps);
        Assert.True(factorRatio <= LapackTestKit.Threshold, $"||A - L L^T|| / (n ||A|| eps) = {factorRatio} for {c}");
        Assert.True(solveRatio <= LapackTestKit.Threshold, $"||B - A X|| / (n ||A|| ||X|| eps) = {solveRatio} for {c}");
    }

    private static void CheckIndefinite<T>(CholeskyCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        int n = c.N;
        double[,] a = Spd(n, 10, rng);

        // Make the leading minor of order p+1 indefinite and the leading p x p block stay positive definite.
        int p = rng.Next(n);
        double lp = Cholesky(SubMatrix(a, p + 1)).L is { } lfull ? lfull[p, p] : 1;
        a[p, p] -= (lp * lp) + 0.5;
        a = LapackTestKit.Rounded<T>(a);
        int expected = Cholesky(a).FailedPivot;
        PaddedMatrix<T> f = LapackTestKit.Padded<T>(a, c.Pad);
        MatrixNotPositiveDefiniteException ex;
        using (c.Config.Apply())
        {
            ex = Assert.Throws<MatrixNotPositiveDefiniteException>(() => LinearAlgebra.Lapack.CholeskyFactor(f.View, c.Uplo));
        }

        Assert.Equal(expected, ex.PivotIndex);
        Assert.Contains($"pivot {expected}", ex.Message, StringComparison.Ordinal);
        Assert.True(f.GuardsIntact(), $"Cholesky wrote outside its view for {c}");

        // The leading rows and columns before the failing pivot hold the factor of the leading block.
        if (expected > 0)
        {
            double[,] fd = f.ToDouble();
            var l = new double[expected, expected];
            for (int i = 0; i < expected; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    l[i, j] = c.Uplo == Triangle.Lower ? fd[i, j] : fd[j, i];
                }
            }

            double[,] lead = SubMatrix(a, expected);
            double ratio = Norm1(Subtract(lead, Multiply(l, Transpose(l)))) / (expected * Norm1(lead) * LapackTestKit.Eps<T>());
            Assert.True(ratio <= LapackTestKit.Threshold, $"leading {expected} x {expected} factor ratio {ratio} after the failure for {c}");
        }
    }

    private static double[,] SubMatrix(double[,] a, int order)
    {
        var s = new double[order, order];
        for (int i = 0; i < order; i++)
        {
            for (int j = 0; j < order; j++)
            {
                s[i, j] = a[i, j];
            }
        }

        return s;
    }
}
