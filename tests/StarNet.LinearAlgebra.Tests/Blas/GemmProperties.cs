using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.LinearAlgebra.Tests.Reference;
using StarNet.LinearAlgebra.Tests.Support;

namespace StarNet.LinearAlgebra.Tests.Blas;

public sealed record GemmCase(KernelConfig Config, int M, int N, int K, bool TransA, bool TransB, double Alpha, double Beta, bool NanInC, int Pad, int Seed)
{
    public override string ToString() =>
        $"{Config} m={M} n={N} k={K} opA={(TransA ? "T" : "N")} opB={(TransB ? "T" : "N")} alpha={Alpha} beta={Beta} nanInC={NanInC} pad={Pad} seed={Seed}";
}

public static class GemmArbitraries
{
    public static Arbitrary<GemmCase> Cases() =>
        (from config in Generators.Config
         let max = Generators.MaxSize(config, 300)
         from m in Generators.Size(max)
         from n in Generators.Size(max)
         from k in Generators.Size(max)
         from ta in Gen.Elements(false, true)
         from tb in Gen.Elements(false, true)
         from alpha in Gen.Elements(1.0, -1.0, 0.5, 0.0, 3.25)
         from beta in Gen.Elements(0.0, 1.0, -0.5, 2.0)
         from nan in Gen.Elements(false, true)
         from pad in Gen.Elements(0, 1, 5, 16)
         from seed in Gen.Choose(0, int.MaxValue)
         select new GemmCase(config, m, n, k, ta, tb, alpha, beta, nan && beta == 0, pad, seed)).ToArbitrary();
}

[Properties(Arbitrary = [typeof(GemmArbitraries)], MaxTest = 60)]
public class GemmProperties
{
    [Property]
    public void Gemm_float_matches_reference_within_componentwise_bound(GemmCase c) => Check<float>(c);

    [Property]
    public void Gemm_double_matches_reference_within_componentwise_bound(GemmCase c) => Check<double>(c);

    private static void Check<T>(GemmCase c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        var a = c.TransA ? new PaddedMatrix<T>(c.K, c.M, c.Pad, 2) : new PaddedMatrix<T>(c.M, c.K, c.Pad, 2);
        var b = c.TransB ? new PaddedMatrix<T>(c.N, c.K, c.Pad, 2) : new PaddedMatrix<T>(c.K, c.N, c.Pad, 2);
        var cm = new PaddedMatrix<T>(c.M, c.N, c.Pad, 2);
        a.FillRandom(rng);
        b.FillRandom(rng);
        cm.FillRandom(rng);
        if (c.NanInC)
        {
            cm.Fill(T.NaN);
        }

        double[,] c0 = cm.ToDouble();
        (double[,] expected, double[,] magnitude) = ReferenceBlas.Gemm(c.Alpha, a.ToDouble(), c.TransA, b.ToDouble(), c.TransB, c.Beta, c0);

        using (c.Config.Apply())
        {
            LinearAlgebra.Blas.Gemm(
                T.CreateTruncating(c.Alpha), a.View, c.TransA ? MatrixOp.Transpose : MatrixOp.None,
                b.View, c.TransB ? MatrixOp.Transpose : MatrixOp.None, T.CreateTruncating(c.Beta), cm.View);
        }

        double ratio = Tolerance.ComponentwiseRatio<T>(Flatten(cm.ToDouble()), Flatten(expected), Flatten(magnitude), c.K);
        Assert.True(ratio <= 1.0, $"componentwise error ratio {ratio} > 1 for {c}");
        Assert.True(cm.GuardsIntact(), $"GEMM wrote outside C's view for {c}");
        Assert.True(a.GuardsIntact() && b.GuardsIntact(), $"GEMM wrote into A or B for {c}");
    }

    internal static double[] Flatten(double[,] x)
    {
        var r = new double[x.Length];
        int idx = 0;
        foreach (double v in x)
        {
            r[idx++] = v;
        }

        return r;
    }
}
