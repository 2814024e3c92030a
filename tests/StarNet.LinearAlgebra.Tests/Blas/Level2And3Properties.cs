using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.LinearAlgebra.Tests.Reference;
using StarNet.LinearAlgebra.Tests.Support;

namespace StarNet.LinearAlgebra.Tests.Blas;

public sealed record TrsmCase(KernelConfig Config, Side Side, Triangle Uplo, bool Trans, bool Unit, int Order, int Other, double Alpha, int Pad, int Seed)
{
    public override string ToString() =>
        $"{Config} side={Side} uplo={Uplo} op={(Trans ? "T" : "N")} diag={(Unit ? "U" : "N")} order={Order} other={Other} alpha={Alpha} pad={Pad} seed={Seed}";
}

public sealed record SyrkCase(KernelConfig Config, Triangle Uplo, bool Trans, int N, int K, double Alpha, double Beta, int Pad, int Seed)
{
    public override string ToString() => $"{Config} uplo={Uplo} op={(Trans ? "T" : "N")} n={N} k={K} alpha={Alpha} beta={Beta} pad={Pad} seed={Seed}";
}

public sealed record GemvCase(KernelConfig Config, int M, int N, bool Trans, double Alpha, double Beta, int Pad, int Seed)
{
    public override string ToString() => $"{Config} m={M} n={N} op={(Trans ? "T" : "N")} alpha={Alpha} beta={Beta} pad={Pad} seed={Seed}";
}

public static class Level2And3Arbitraries
{
    public static Arbitrary<TrsmCase> Trsm() =>
        (from config in Generators.Config
         let max = Generators.MaxSize(config, 260)
         from side in Gen.Elements(Side.Left, Side.Right)
         from uplo in Gen.Elements(Triangle.Lower, Triangle.Upper)
         from trans in Gen.Elements(false, true)
         from unit in Gen.Elements(false, true)
         from order in Generators.Size(max)
         from other in Generators.Size(max)
         from alpha in Gen.Elements(1.0, -2.0, 0.0)
         from pad in Gen.Elements(0, 3)
         from seed in Gen.Choose(0, int.MaxValue)
         select new TrsmCase(config, side, uplo, trans, unit, order, other, alpha, pad, seed)).ToArbitrary();

    public static Arbitrary<SyrkCase> Syrk() =>
        (from config in Generators.Config
         let max = Generators.MaxSize(config, 280)
         from uplo in Gen.Elements(Triangle.Lower, Triangle.Upper)
         from trans in Gen.Elements(false, true)
         from n in Generators.Size(max)
         from k in Generators.Size(max)
         from alpha in Gen.Elements(1.0, -1.5)
         from beta in Gen.Elements(0.0, 1.0, 0.25)
         from pad in Gen.Elements(0, 2)
         from seed in Gen.Choose(0, int.MaxValue)
         select new SyrkCase(config, uplo, trans, n, k, alpha, beta, pad, seed)).ToArbitrary();

    public static Arbitrary<GemvCase> Gemv() =>
        (from config in Generators.Config
         let max = Generators.MaxSize(config, 300)
         from m in Generators.Size(max)
         from n in Generators.Size(max)
         from trans in Gen.Elements(false, true)
         from alpha in Gen.Elements(1.0, -0.5)
         from beta in Gen.Elements(0.0, 1.0, 2.0)
         from pad in Gen.Elements(0, 5)
         from seed in Gen.Choose(0, int.MaxValue)
         select new GemvCase(config, m, n, trans, alpha, beta, pad, seed)).ToArbitrary();
}

[Properties(Arbitrary = [typeof(Level2And3Arbitraries)], MaxTest = 50)]
public class Level2And3Properties
{
    /// <summary>LAPACK's pass threshold for its test ratios (TESTING/dtest.in).</summary>
    private const double Threshold = 30;

    [Property]
    public void Trsm_float_residual_ratio_below_30(TrsmCase c) => CheckTrsm<float>(c);

    [Property]
    public void Trsm_double_residual_ratio_below_30(TrsmCase c) => CheckTrsm<double>(c);

    [Property]
    public void Syrk_float_matches_reference_and_keeps_other_triangle(SyrkCase c) => CheckSyrk<float>(c);

    [Property]
    public void Syrk_double_matches_reference_and_keeps_other_triangle(SyrkCase c) => CheckSyrk<double>(c);

    [Property]
    public void Gemv_float_matches_reference(GemvCase c) => CheckGemv<float>(c);

    [Property]
    public void Gemv_double_matches_reference(GemvCase c) => CheckGemv<double>(c);

    private static void CheckTrsm<T>(TrsmCase c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        int order = c.Order;
        var a = new PaddedMatrix<T>(order, order, c.Pad, 1);
        a.FillRandom(rng, 1.0 / order);
        MatrixSpan<T> av = a.View;
        for (int i = 0; i < order; i++)
        {
            // Diagonally dominant, so op(A) is well conditioned whatever its size.
            av[i, i] = T.CreateTruncating((rng.Next(2) == 0 ? -1 : 1) * (1 + rng.NextDouble()));
        }

        var b = c.Side == Side.Left ? new PaddedMatrix<T>(order, c.Other, c.Pad, 1) : new PaddedMatrix<T>(c.Other, order, c.Pad, 1);
        b.FillRandom(rng);
        double[,] b0 = b.ToDouble();
        using (c.Config.Apply())
        {
            LinearAlgebra.Blas.Trsm(c.Side, c.Uplo, c.Trans ? MatrixOp.Transpose : MatrixOp.None, c.Unit ? DiagonalKind.Unit : DiagonalKind.NonUnit, T.CreateTruncating(c.Alpha), a.View, b.View);
        }

        double[,] x = b.ToDouble();
        double[,] expected = ReferenceBlas.Trsm(c.Side == Side.Left, c.Uplo == Triangle.Lower, c.Trans, c.Unit, c.Alpha, a.ToDouble(), b0);

        // Residual ratio ||op(A) X - alpha B|| / (||op(A)|| ||X|| order eps) with the computed X (LAPACK dtrt02 style),
        // using the explicit triangle op(A) recovered from the reference (apply it to the computed X).
        double[,] t = ExplicitTriangle(a.ToDouble(), c.Uplo == LinearAlgebra.Triangle.Lower, c.Trans, c.Unit);
        double[,] ax = c.Side == Side.Left ? Multiply(t, x) : Multiply(x, t);
        double resid = 0, normX = 0, normB = 0;
        for (int i = 0; i < x.GetLength(0); i++)
        {
            double rs = 0, xs = 0, bs = 0;
            for (int j = 0; j < x.GetLength(1); j++)
            {
                rs += Math.Abs(ax[i, j] - (c.Alpha * b0[i, j]));
                xs += Math.Abs(x[i, j]);
                bs += Math.Abs(expected[i, j]);
            }

            resid = Math.Max(resid, rs);
            normX = Math.Max(normX, xs);
            normB = Math.Max(normB, bs);
        }

        double normT = InfNorm(t);
        double ratio = resid == 0 ? 0 : resid / (normT * normX * order * Tolerance.Eps<T>());
        Assert.True(ratio <= Threshold, $"TRSM residual ratio {ratio} > {Threshold} for {c}");
        Assert.True(a.GuardsIntact() && b.GuardsIntact(), $"TRSM wrote outside its views for {c}");
    }

    private static void CheckSyrk<T>(SyrkCase c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        var a = c.Trans ? new PaddedMatrix<T>(c.K, c.N, c.Pad, 1) : new PaddedMatrix<T>(c.N, c.K, c.Pad, 1);
        a.FillRandom(rng);
        var cm = new PaddedMatrix<T>(c.N, c.N, c.Pad, 1);
        cm.FillRandom(rng);
        double[,] c0 = cm.ToDouble();
        double[,] ad = a.ToDouble();
        (double[,] expected, double[,] mag) = ReferenceBlas.Gemm(c.Alpha, ad, c.Trans, ad, !c.Trans, c.Beta, c0);
        using (c.Config.Apply())
        {
            LinearAlgebra.Blas.Syrk(c.Uplo, c.Trans ? MatrixOp.Transpose : MatrixOp.None, T.CreateTruncating(c.Alpha), a.View, T.CreateTruncating(c.Beta), cm.View);
        }

        double[,] got = cm.ToDouble();
        var comp = new List<double>();
        var exp = new List<double>();
        var mg = new List<double>();
        for (int i = 0; i < c.N; i++)
        {
            for (int j = 0; j < c.N; j++)
            {
                bool inTriangle = c.Uplo == LinearAlgebra.Triangle.Lower ? j <= i : j >= i;
                if (inTriangle)
                {
                    comp.Add(got[i, j]);
                    exp.Add(expected[i, j]);
                    mg.Add(mag[i, j]);
                }
                else
                {
                    Assert.True(got[i, j] == c0[i, j], $"SYRK touched ({i}, {j}) outside the {c.Uplo} triangle for {c}");
                }
            }
        }

        double ratio = Tolerance.ComponentwiseRatio<T>(comp.ToArray(), exp.ToArray(), mg.ToArray(), c.K);
        Assert.True(ratio <= 1.0, $"SYRK componentwise error ratio {ratio} > 1 for {c}");
        Assert.True(cm.GuardsIntact() && a.GuardsIntact(), $"SYRK wrote outside its views for {c}");
    }

    private static void CheckGemv<T>(GemvCase c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        var a = new PaddedMatrix<T>(c.M, c.N, c.Pad, 1);
        a.FillRandom(rng);
        int xl = c.Trans ? c.M : c.N, yl = c.Trans ? c.N : c.M;
        var x = new PaddedMatrix<T>(1, xl, 0, 0);
        var y = new PaddedMatrix<T>(1, yl, 0, 0);
        x.FillRandom(rng);
        y.FillRandom(rng);
        if (c.Beta == 0)
        {
            y.Fill(T.NaN);
        }

        double[,] xd = x.ToDouble(), y0 = y.ToDouble();
        (double[,] expected, double[,] mag) = ReferenceBlas.Gemm(c.Alpha, a.ToDouble(), c.Trans, Transpose(xd), false, c.Beta, Transpose(y0));
        using (c.Config.Apply())
        {
            LinearAlgebra.Blas.Gemv(T.CreateTruncating(c.Alpha), a.View, c.Trans ? MatrixOp.Transpose : MatrixOp.None, x.View.Row(0), T.CreateTruncating(c.Beta), y.View.Row(0));
        }

        double ratio = Tolerance.ComponentwiseRatio<T>(GemmProperties.Flatten(y.ToDouble()), GemmProperties.Flatten(expected), GemmProperties.Flatten(mag), c.Trans ? c.M : c.N);
        Assert.True(ratio <= 1.0, $"GEMV componentwise error ratio {ratio} > 1 for {c}");
    }

    private static double[,] ExplicitTriangle(double[,] a, bool lower, bool trans, bool unit)
    {
        int n = a.GetLength(0);
        var t = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                bool inside = lower ? j <= i : j >= i;
                double v = i == j && unit ? 1 : inside ? a[i, j] : 0;
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

        return t;
    }

    private static double[,] Transpose(double[,] x)
    {
        var r = new double[x.GetLength(1), x.GetLength(0)];
        for (int i = 0; i < x.GetLength(0); i++)
        {
            for (int j = 0; j < x.GetLength(1); j++)
            {
                r[j, i] = x[i, j];
            }
        }

        return r;
    }

    private static double[,] Multiply(double[,] p, double[,] q) => ReferenceBlas.Gemm(1, p, false, q, false, 0, new double[p.GetLength(0), q.GetLength(1)]).C;

    private static double InfNorm(double[,] x)
    {
        double best = 0;
        for (int i = 0; i < x.GetLength(0); i++)
        {
            double s = 0;
            for (int j = 0; j < x.GetLength(1); j++)
            {
                s += Math.Abs(x[i, j]);
            }

            best = Math.Max(best, s);
        }

        return best;
    }
}
